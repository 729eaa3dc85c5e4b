"""The realistic mix: reads spread over >= 1,000 distinct URLs while a writer changes content.

Readers: wrk with a Lua script that picks a random URL from a file per request (load.py), one
run per group of URLs and one over all of them. Writer: `benchmarks.writer` in its own
process, submitting one idea and changing one status per second through the services for the
whole mix. The server is the production one, page cache on: the mix's own requests warm it,
and the writer's changes invalidate it as they would in production.
"""

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from . import writer as writer_module

ROOT = Path(__file__).resolve().parent.parent
DETAIL_PAGES = 500
LIST_PAGES = 100  # /ideen/?page=1..100
SEARCH_TERMS = 20
API_PAGE_SIZE = 20
# Every URL a miss at first: a run of 1 s (the smoke run) may not finish a request per group.
MIN_SECONDS = 3


def search_terms(count: int = SEARCH_TERMS) -> list[str]:
    """Words visitors search for: the longer words of Halle's real idea titles."""
    from .seed import DEMO

    words: list[str] = []
    for entry in json.loads(DEMO.read_text(encoding="utf-8")):
        for word in re.findall(r"[A-Za-zÄÖÜäöüß]{6,}", entry["title"]):
            if word.lower() not in {w.lower() for w in words}:
                words.append(word)
    return words[:count]


def url_groups(sample_ids: list[int]) -> dict[str, list[str]]:
    """The mix's URLs by group: idea list (filters x searches x pages), idea detail, overview
    pages (home, statistics, calls) and the open-data API's JSON pages."""
    from django.urls import reverse

    from fields.models import ActionField, Quarter
    from ideas.models import Call, Idea

    ideas = reverse("ideas:idea-list")
    fields = list(ActionField.objects.active().order_by("slug").values_list("slug", flat=True))
    quarters = list(
        Quarter.objects.filter(active=True).order_by("code").values_list("code", flat=True)
    )
    terms = search_terms()

    def with_query(base: str, **params) -> str:
        return f"{base}?{urlencode(params)}" if params else base

    lists = [with_query(ideas, page=page) for page in range(1, LIST_PAGES + 1)]
    for field in fields:
        lists += [with_query(ideas, field=field, page=page) for page in range(1, 6)]
        lists += [with_query(ideas, field=field, status=s) for s in ("submitted", "screened")]
        lists += [with_query(ideas, field=field, q=term) for term in terms[:8]]
        lists.append(with_query(ideas, field=field, sort="oldest"))
    lists += [with_query(ideas, quarter=code, page=page) for code in quarters for page in (1, 2)]
    lists += [
        with_query(ideas, field=field, quarter=code) for field in fields for code in quarters
    ]
    lists += [with_query(ideas, q=term, page=page) for term in terms for page in (1, 2)]
    lists += [with_query(ideas, q=term, sort="title") for term in terms]
    lists += [with_query(ideas, status=status) for status in ("submitted", "screened", "pool")]

    details = [reverse("ideas:idea-detail", kwargs={"pk": pk}) for pk in sample_ids]
    overview = [reverse("ideas:home"), reverse("ideas:statistics")]
    overview += [
        reverse("ideas:call-detail", kwargs={"slug": slug})
        for slug in Call.objects.filter(published=True).values_list("slug", flat=True)
    ]

    # API pages that exist (a page past the end answers 404): counted once, before the mix.
    api = reverse("api:idea-list")
    published = Idea.objects.published().count()
    api_urls = [
        with_query(api, page=page, page_size=API_PAGE_SIZE)
        for page in range(1, min(100, published // API_PAGE_SIZE) + 1)
    ]
    for field in fields:
        in_field = Idea.objects.published().filter(action_fields__slug=field).count()
        api_urls += [
            with_query(api, field=field, page=page, page_size=API_PAGE_SIZE)
            for page in range(1, min(5, in_field // API_PAGE_SIZE) + 1)
        ]
    api_urls += [with_query(api, q=term) for term in terms]
    api_urls.append(reverse("api:field-list"))
    return {
        "idea list": list(dict.fromkeys(lists)),
        "idea detail": details,
        "home, statistics, calls": overview,
        "api": list(dict.fromkeys(api_urls)),
    }


class Writer:
    """`python -m benchmarks.writer` for the duration of a `with` block."""

    def __init__(self, env: dict, stats_path: Path, log_path: Path):
        self.env, self.stats_path, self.log_path = env, stats_path, log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.stats_path.unlink(missing_ok=True)
        writer_module.ready_path(self.stats_path).unlink(missing_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "benchmarks.writer", str(self.stats_path)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until the writer has started (Django set up, its data read) or ended."""
        deadline = time.monotonic() + timeout
        ready = writer_module.ready_path(self.stats_path)
        while time.monotonic() < deadline and self.process and self.process.poll() is None:
            if ready.exists():
                return
            time.sleep(0.2)

    def stop(self) -> dict:
        process, self.process = self.process, None
        if process is None:
            return {}
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        try:
            return json.loads(self.stats_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"errors": [f"the writer left no statistics (exit {process.returncode})"]}

    def __exit__(self, *exc):
        self.stop()


def measure_mix(groups: dict[str, list[str]], server, args, tmp: Path, env: dict) -> dict:
    """wrk per group and over all URLs, with the writer running throughout."""
    from .load import run_wrk
    from .server import CpuAccount, drain, peak_rss_kb, reset_peak

    everything = [url for urls in groups.values() for url in urls]
    runs = [("all URLs", everything), *groups.items()]
    result = {"urls": len(set(everything)), "groups": []}
    drain(server.worker_pids())
    writer = Writer(env, tmp / "writer.json", tmp / "writer.log")
    with writer:
        writer.wait_ready()  # the writer's first tick is in: content is changing
        for name, urls in runs:
            for pid in server.worker_pids():
                reset_peak(pid)
            url_file = tmp / f"mix-{len(result['groups'])}.txt"
            url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
            with CpuAccount(lambda: [*server.worker_pids(), *writer_pids(writer)], args.db) as cpu:
                wrk = run_wrk(
                    server.base_url,
                    urls,
                    duration=max(args.duration, MIN_SECONDS),
                    connections=args.connections,
                    threads=args.threads,
                    script_dir=tmp,
                    url_file=url_file,
                )
            peak = max(peak_rss_kb(pid) or 0 for pid in server.worker_pids())
            result["groups"].append(
                {
                    "name": f"mix: {name}",
                    "kind": "mix-" + MIX_KINDS.get(name, "page"),
                    "paths": len(urls),
                    "rps": round(wrk.rps, 1),
                    "requests": wrk.requests,
                    "p50_ms": round(wrk.p50_ms, 2),
                    "p99_ms": round(wrk.p99_ms, 2),
                    "max_ms": round(wrk.max_ms, 2),
                    "errors": wrk.errors,
                    "failed": wrk.failed,
                    "worker_peak_mb": round(peak / 1024, 1),
                    "other_cpu_pct": round(cpu.other_pct, 1),
                }
            )
        result["writer"] = writer.stop()
    return result


MIX_KINDS = {"idea list": "list", "idea detail": "detail", "api": "api"}


def writer_pids(writer: Writer) -> list[int]:
    return [writer.process.pid] if writer.process else []
