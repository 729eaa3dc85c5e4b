"""Where a page spends its time, in-process: cProfile over repeated requests against a database
kept by `python -m benchmarks.run --keep-db`.

    .venv/bin/python -m benchmarks.profile /ideen/ --db bench_mitmachen --requests 20
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--db", default="bench_mitmachen")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args(argv)
    if not args.db.startswith("bench_"):
        parser.error("--db must start with bench_")
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="benchmarks.settings",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
            BENCH_TMP=tmp,
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        # The kept database may predate the code: bring its schema up to date first.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="de")
        for path in args.paths:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
            sql_ms = sum(float(q["time"]) for q in queries) * 1000
            print(
                f"{path}: HTTP {response.status_code}, {elapsed:.1f} ms, {len(queries)} queries "
                f"({sql_ms:.1f} ms SQL), {len(response.content):,} bytes"
            )
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for _ in range(args.requests):
                client.get(path)
            profiler.disable()
            mean = (time.perf_counter() - start) * 1000 / args.requests
            print(f"  mean of {args.requests} requests under cProfile: {mean:.1f} ms")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
