"""The mix's writer: while the readers run, one idea submitted and one status changed per
second, through the services (audit entries, notices and cache invalidation as in production).

    DJANGO_SETTINGS_MODULE=benchmarks.settings python -m benchmarks.writer STATS.json

Runs until SIGTERM, then writes what it did to STATS.json: counts, errors and the services'
latencies. Ticks keep their schedule (tick n at start + n s); a tick that falls behind is
counted as late, never skipped silently.
"""

import json
import random
import signal
import sys
import time
import traceback
from pathlib import Path

STATUS_NEXT = {"submitted": "screened", "screened": "pool", "pool": "screened"}
EDITOR_EMAIL = "bench-editor@example.org"


class Stop(BaseException):
    """SIGTERM. Not an Exception: code that fails open (the cache backend) or an action's
    `except Exception` must not swallow it, or the writer runs on until it is killed and
    leaves no statistics."""


def _raise_stop(*_):
    raise Stop


def editor():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import Role

    user, _ = get_user_model().objects.get_or_create(
        email=EDITOR_EMAIL, defaults={"display_name": "Benchmark-Redaktion"}
    )
    user.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    return get_user_model().objects.get(pk=user.pk)  # fresh: role_names is cached per object


def submit_one(rng: random.Random, call, fields, quarters, authors) -> None:
    from django.contrib.auth import get_user_model

    from ideas import services

    author = get_user_model().objects.get(pk=rng.choice(authors))
    chosen = rng.sample(fields, k=min(2, len(fields)))
    number = rng.randrange(1_000_000)
    data = services.IdeaData(
        title=f"Neue Idee {number}: Sitzbänke mit Solarstrom",
        summary="Sitzbänke mit Solarmodul, an denen man das Telefon laden kann.",
        description="An belebten Plätzen stehen Bänke mit Solarmodul und USB-Anschluss. "
        "Die Stadtwerke warten sie, die Quartiere schlagen Standorte vor.",
        problem="Unterwegs fehlt Strom für das Telefon, und Bänke sind rar.",
        benefit="Mehr Aufenthaltsqualität und ein sichtbares Zeichen für Solarstrom.",
        target_groups="Alle",
        action_fields=chosen,
        primary_field=chosen[0],
        quarters=[rng.choice(quarters)],
        consent=True,
    )
    idea = services.idea_save_draft(call=call, author=author, data=data)
    services.idea_submit(idea=idea, by=author)


def change_one(rng: random.Random, by) -> None:
    from ideas.models import Idea
    from review import services

    # A random idea without sorting all of them: the first candidate from a random pk on.
    candidates = Idea.objects.filter(status__in=list(STATUS_NEXT)).only("pk", "status")
    top = candidates.order_by("-pk").first()
    start = rng.randint(1, top.pk) if top else 0
    idea = candidates.filter(pk__gte=start).order_by("pk").first()
    if idea is None:
        raise RuntimeError("no idea whose status could change")
    services.idea_transition(
        idea=idea, to=STATUS_NEXT[idea.status], by=by, reason="Benchmark: Sichtung"
    )


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def main(stats_path: Path) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from fields.models import ActionField, Quarter
    from ideas.models import Call

    signal.signal(signal.SIGTERM, _raise_stop)
    rng = random.Random(11)  # noqa: S311 - not security
    call = next(c for c in Call.objects.filter(published=True) if c.is_open())
    fields = list(ActionField.objects.all())
    quarters = list(Quarter.objects.filter(active=True))
    authors = list(
        get_user_model()
        .objects.filter(email__startswith="bench-0")
        .order_by("?")
        .values_list("pk", flat=True)[:2000]
    )
    by = editor()
    stats = {"submitted": 0, "status_changed": 0, "errors": [], "late_ticks": 0}
    timings = {"submit_ms": [], "status_ms": []}
    start = time.monotonic()
    tick = 0
    try:
        while True:
            tick += 1
            for name, action in (
                ("submit_ms", lambda: submit_one(rng, call, fields, quarters, authors)),
                ("status_ms", lambda: change_one(rng, by)),
            ):
                t0 = time.perf_counter()
                try:
                    action()
                except Exception as error:
                    stats["errors"].append(f"{type(error).__name__}: {error}"[:300])
                    traceback.print_exc(file=sys.stderr)
                    close_old_connections()
                    continue
                timings[name].append((time.perf_counter() - t0) * 1000)
                stats["submitted" if name == "submit_ms" else "status_changed"] += 1
            wait = start + tick - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                stats["late_ticks"] += 1
    except (Stop, KeyboardInterrupt):
        pass
    stats["seconds"] = round(time.monotonic() - start, 1)
    for name, values in timings.items():
        stats[name.replace("_ms", "_p50_ms")] = percentile(values, 0.5)
        stats[name.replace("_ms", "_p99_ms")] = percentile(values, 0.99)
    stats_path.write_text(json.dumps(stats), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
