"""Latency of the suggestions while typing, at 100,000 ideas on PostgreSQL.

    .venv/bin/python -m benchmarks.similarity_latency [--size 100000] [--keep-db]

Creates the database `bench_similar`, seeds it like the page benchmark (`benchmarks/seed.py`:
published ideas recombined from Halle's 85 real ones), stores every idea's analysis
(`idea_terms_missing`, timed: what the worker does after an import), then asks
`similar_to_text` what a citizen types: the labelled set's titles, each word by word as typed,
with their problem sentences, plus hostile inputs (10,000 characters, emoji, markup).
Writes `benchmarks/results/similarity-latency.md`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.writer import percentile

ROOT = Path(__file__).resolve().parent.parent
DB = "bench_similar"


def themes_timing() -> list[str]:
    """The themes of every call, as the worker computes them: time and peak memory."""
    import tracemalloc

    from ideas.models import Call, Idea
    from review import themes
    from review.models import Theme, ThemeRun

    rows = ["| call | ideas | themes | seconds | peak MB |", "|---|---|---|---|---|"]
    tracemalloc.start()
    for call in Call.objects.all():
        run = ThemeRun.objects.create(call=call, state=ThemeRun.State.QUEUED)
        started = time.perf_counter()
        tracemalloc.reset_peak()
        themes.themes_compute(run=run)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        count = Idea.objects.published().filter(call=call).count()
        rows.append(
            f"| {call.slug} | {count:,} | {Theme.objects.filter(call=call).count()} | "
            f"{seconds:.0f} | {peak / 1024 / 1024:.0f} |"
        )
    tracemalloc.stop()
    return [
        "Themes across action fields (`review.themes.themes_compute`, one process):",
        "",
        *rows,
        "",
        "Peak MB: what the computation allocated in Python (tracemalloc); the worker's "
        "limit is 512 MiB.",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import create_database, database_exists, drop_database

    os.environ["DJANGO_SETTINGS_MODULE"] = "halle_smartcity.settings.dev"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    reuse = args.keep_db and database_exists(DB)
    if not reuse:
        create_database(DB)
    import django

    django.setup()
    from django.db import connection

    from benchmarks import seed
    from benchmarks.similarity import _split, load_pairs
    from ideas import similarity_search

    lines = ["# Similar ideas: latency while typing", ""]
    try:
        if not reuse:
            with tempfile.TemporaryDirectory() as media:
                seed.prepare(media_root=Path(media))
                started = time.perf_counter()
                seed.seed_to(args.size, stream=sys.stderr)
                print(f"seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        started = time.perf_counter()
        analysed = 0
        while True:
            done = similarity_search.idea_terms_missing(limit=5000)
            analysed += done
            if not done:
                break
        analysis_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ideas_ideaterms")
            cursor.execute("SELECT count(*) FROM ideas_idea WHERE status <> 'draft'")
            published = cursor.fetchone()[0]

        typed: list[tuple[str, str]] = []
        for left, _right, _kind in load_pairs("same.tsv"):
            title, body = _split(left)
            words = title.split()
            typed += [(" ".join(words[:count]), "") for count in range(1, len(words) + 1)]
            typed.append((title, body))
        hostile = [
            ("x" * 10_000, "y" * 10_000),
            ("Radweg " * 1500, "Saale " * 1500),
            ("🚲🌳🚌" * 50, ""),
            ("<script>alert(1)</script>" * 20, "' OR 1=1 --"),
        ]
        similarity_search.similar_to_text(title="Radweg an der Saale")  # warm the caches
        timings: dict[str, list[float]] = {"typed": [], "hostile": []}
        found = 0
        for name, inputs in (("typed", typed), ("hostile", hostile * 10)):
            for title, body in inputs:
                started = time.perf_counter()
                result = similarity_search.similar_to_text(title=title, body=body)
                timings[name].append((time.perf_counter() - started) * 1000)
                found += bool(result)
        lines += [
            f"{published:,} published ideas (seeded from Halle's 85, `benchmarks/seed.py`); "
            f"PostgreSQL, GIN index over the stored terms; one process, warm.",
            "",
            f"Analysis of {analysed:,} ideas by `idea_terms_missing`: "
            f"{analysis_seconds:.0f} s ({analysed / max(analysis_seconds, 0.001):,.0f}/s).",
            "",
            "| input | requests | p50 ms | p95 ms | max ms |",
            "|---|---|---|---|---|",
        ]
        for name, values in timings.items():
            lines.append(
                f"| {name} | {len(values)} | {statistics.median(values):.1f} | "
                f"{percentile(values, 0.95):.1f} | {max(values):.1f} |"
            )
        lines += ["", f"Requests with at least one suggestion: {found}."]
        lines += ["", *themes_timing()]
    finally:
        connection.close()
        if not args.keep_db:
            drop_database(DB)
    output = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "similarity-latency.md").write_text(output, "utf-8")
    print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
