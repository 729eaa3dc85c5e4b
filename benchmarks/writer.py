"""The mix's writer: while the readers run, one idea submitted, one status changed, five
supports and five comments added per second, through the services (audit entries, notices,
following and cache invalidation as in production).

Supports and comments come from the seeded citizens' accounts (verified, never the idea's
author) on public ideas of the open call, under that call's own discussion settings
(threshold, pre-moderation). The services do not rate-limit (the views do, per account and per
address), so the writer keeps each account within MITMACHEN_SUPPORT_RATE and
MITMACHEN_COMMENT_RATE itself: the work is spread over many accounts, as it would be over many
citizens; an action no account may do now is counted as rate-limited, not done.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python -m benchmarks.writer STATS.json

Runs until SIGTERM, then writes what it did to STATS.json: counts, errors and the services'
latencies. Ticks keep their schedule (tick n at start + n s); a tick that falls behind is
counted as late, never skipped silently.
"""

import json
import math
import random
import re
import signal
import sys
import time
import traceback
from collections import deque
from pathlib import Path

STATUS_NEXT = {"submitted": "screened", "screened": "pool", "pool": "screened"}
EDITOR_EMAIL = "bench-editor@example.org"
SUPPORTS_PER_TICK = 5
COMMENTS_PER_TICK = 5
RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
COMMENT_TEXTS = [
    "Gute Idee, das würde ich sofort nutzen.",
    "Bei uns im Viertel fehlt das auch. Wer kümmert sich um die Wartung?",
    "Gibt es dazu schon Erfahrungen aus anderen Städten?",
    "Bitte auch an Menschen mit Rollstuhl denken.",
    "Ich bin skeptisch, was die Kosten angeht, aber einen Versuch wäre es wert.",
]


class Stop(BaseException):
    """SIGTERM. Not an Exception: code that fails open (the cache backend) or an action's
    `except Exception` must not swallow it, or the writer runs on until it is killed and
    leaves no statistics."""


def ready_path(stats_path: Path) -> Path:
    return stats_path.with_suffix(".ready")


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


def rate_parse(rate: str) -> tuple[int, int]:
    """django-ratelimit's rate ("20/h", "5/10m") as (count, seconds)."""
    match = re.fullmatch(r"(\d+)/(\d*)([smhd])", rate.strip())
    if not match:
        raise ValueError(f"unknown rate {rate!r}")
    return int(match[1]), int(match[2] or 1) * RATE_UNITS[match[3]]


class AccountPool:
    """Accounts in turn, each used at most `count` times per `seconds` (the per-account rate
    limit the view would apply)."""

    def __init__(self, accounts: list[int], rate: str, clock=time.monotonic):
        self.count, self.seconds = rate_parse(rate)
        self.accounts = deque(accounts)
        self.used: dict[int, deque] = {}
        self.clock = clock

    def take(self, avoid: int | None = None) -> int | None:
        """The next account with room (not `avoid`), or None if all are at their limit."""
        now = self.clock()
        for _ in range(len(self.accounts)):
            account = self.accounts[0]
            self.accounts.rotate(-1)
            if account == avoid:
                continue
            used = self.used.setdefault(account, deque())
            while used and used[0] <= now - self.seconds:
                used.popleft()
            if len(used) < self.count:
                used.append(now)
                return account
        return None


def accounts_needed(per_second: int, rate: str) -> int:
    count, seconds = rate_parse(rate)
    return math.ceil(per_second * seconds / count)


def discussed_idea(rng: random.Random, call):
    """A random public idea of the open call (its discussion is open)."""
    from ideas.models import PUBLIC_STATUSES, Idea, Status

    candidates = Idea.objects.filter(
        call=call, status__in=[s for s in PUBLIC_STATUSES if s != Status.DUPLICATE]
    ).only("pk", "author_id")
    top = candidates.order_by("-pk").first()
    start = rng.randint(1, top.pk) if top else 0
    idea = candidates.filter(pk__gte=start).order_by("pk").first()
    if idea is None:
        raise RuntimeError("no idea of the open call to discuss")
    return idea


def support_one(rng: random.Random, call, pool: AccountPool) -> str:
    """Answers "added", "already" (this account supported it before) or "rate_limited"."""
    from django.contrib.auth import get_user_model

    from discussion import services

    idea = discussed_idea(rng, call)
    account = pool.take(avoid=idea.author_id)
    if account is None:
        return "rate_limited"
    by = get_user_model().objects.get(pk=account)
    return "added" if services.support_add(idea=idea, by=by) else "already"


def comment_one(rng: random.Random, call, pool: AccountPool) -> str:
    """Answers "added" or "rate_limited"."""
    from django.contrib.auth import get_user_model

    from discussion import comments

    idea = discussed_idea(rng, call)
    account = pool.take()
    if account is None:
        return "rate_limited"
    by = get_user_model().objects.get(pk=account)
    # A number keeps the text from being the same person's repeated comment.
    text = f"{rng.choice(COMMENT_TEXTS)} ({rng.randrange(1_000_000)})"
    comments.comment_create(idea=idea, by=by, text=text)
    return "added"


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def main(stats_path: Path) -> int:
    # First: a stop asked for while Django starts (slow on a loaded machine) must still end in
    # the statistics file, not in the default handler's silent exit.
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        return _run(stats_path)
    except (Stop, KeyboardInterrupt):
        if not stats_path.exists():
            stats_path.write_text(json.dumps({"errors": ["stopped before it started"]}))
        return 0


def _run(stats_path: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from fields.models import ActionField, Quarter
    from ideas.models import Call

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
    citizens = list(
        get_user_model()
        .objects.filter(email__startswith="bench-0", is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(citizens)
    supporters = AccountPool(citizens, settings.MITMACHEN_SUPPORT_RATE)
    commenters = AccountPool(citizens, settings.MITMACHEN_COMMENT_RATE)
    stats = {
        "submitted": 0,
        "status_changed": 0,
        "supported": 0,
        "support_repeated": 0,
        "commented": 0,
        "rate_limited": 0,
        "accounts": len(citizens),
        "accounts_for_an_hour": max(
            accounts_needed(SUPPORTS_PER_TICK, settings.MITMACHEN_SUPPORT_RATE),
            accounts_needed(COMMENTS_PER_TICK, settings.MITMACHEN_COMMENT_RATE),
        ),
        "errors": [],
        "late_ticks": 0,
    }
    timings = {"submit_ms": [], "status_ms": [], "support_ms": [], "comment_ms": []}
    counted = {
        "submit_ms": "submitted",
        "status_ms": "status_changed",
        "support_ms": "supported",
        "comment_ms": "commented",
    }
    actions = [
        ("submit_ms", lambda: submit_one(rng, call, fields, quarters, authors)),
        ("status_ms", lambda: change_one(rng, by)),
        *[("support_ms", lambda: support_one(rng, call, supporters))] * SUPPORTS_PER_TICK,
        *[("comment_ms", lambda: comment_one(rng, call, commenters))] * COMMENTS_PER_TICK,
    ]
    start = time.monotonic()
    tick = 0
    # The mix waits for this before it measures: content is changing from now on.
    ready_path(stats_path).touch()
    try:
        while True:
            tick += 1
            for name, action in actions:
                t0 = time.perf_counter()
                try:
                    outcome = action()
                except Exception as error:
                    stats["errors"].append(f"{type(error).__name__}: {error}"[:300])
                    traceback.print_exc(file=sys.stderr)
                    close_old_connections()
                    continue
                if outcome == "rate_limited":
                    stats["rate_limited"] += 1
                    continue
                timings[name].append((time.perf_counter() - t0) * 1000)
                stats["support_repeated" if outcome == "already" else counted[name]] += 1
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
