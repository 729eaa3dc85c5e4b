"""The benchmark: seed, serve under gunicorn, drive each page with wrk, weigh first loads.

    .venv/bin/python -m benchmarks.run                      # full run: 1,000/10,000/100,000
    .venv/bin/python -m benchmarks.run --smoke              # CI: 1,000 ideas, 1 s runs
    .venv/bin/python -m benchmarks.run --sizes 10000 --duration 5 --keep-db

Writes results.md and results.json to benchmarks/results/ (or --out). Exit status 0 when every
page answered 200 throughout; 1 when a page failed; 2 when a prerequisite is missing.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .measure import (
    clear_page_cache,
    judge,
    log,
    measure_table,
    page_paths,
    run_mix,
    run_submissions,
    slow_queries,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)
SAMPLE_IDEAS = 200  # detail pages wrk rotates over


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="published ideas per step")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=2, help="wrk runs per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--db", default="bench_mitmachen", help="database name (bench_*)")
    parser.add_argument("--keep-db", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--keep-tmp", action="store_true", help="keep static/media/logs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=60,
        help="before each wrk run, wait up to this many seconds for other processes to leave "
        "the CPUs (< 10 %%); 0: do not wait",
    )
    parser.add_argument(
        "--redis-db", type=int, default=13, help="Redis database of the cache (and rate limits)"
    )
    parser.add_argument("--citizens", type=int, default=16, help="submission run: citizens")
    parser.add_argument("--photos", type=int, default=5, help="submission run: photos per idea")
    parser.add_argument("--photo-mb", type=float, default=3.0, help="submission run: MB/photo")
    parser.add_argument("--no-cache-off", action="store_true", help="skip table 2 (cache off)")
    parser.add_argument("--no-mix", action="store_true", help="skip table 3 (the mix)")
    parser.add_argument("--no-submit", action="store_true", help="skip the submission run")
    parser.add_argument("--no-weight", action="store_true", help="skip the Chromium check")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI: 1,000 ideas, one 1 s run per page at 4 connections, own database",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = "1000"
        if args.duration == parser.get_default("duration"):
            args.duration = 1
        if args.db == parser.get_default("db"):
            args.db = f"bench_smoke_{os.getpid()}"
        if args.quiet_wait == parser.get_default("quiet_wait"):
            args.quiet_wait = 0
        # One run per page, and few enough connections that the workers' backlog after each
        # run (what drain() waits for) stays short: the smoke run proves that every page
        # answers under concurrent load, it does not measure.
        if args.runs == parser.get_default("runs"):
            args.runs = 1
        if args.connections == parser.get_default("connections"):
            args.connections = 4
        # The submission run keeps its shape (citizens at once, photos through the form),
        # smaller: image processing would otherwise dominate the smoke run.
        if args.citizens == parser.get_default("citizens"):
            args.citizens = 4
        if args.photos == parser.get_default("photos"):
            args.photos = 2
        if args.photo_mb == parser.get_default("photo_mb"):
            args.photo_mb = 0.5
    args.sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",")})
    if not re.fullmatch(r"bench_[a-z0-9_]{1,50}", args.db):
        parser.error("--db must look like bench_[a-z0-9_]+")
    return args


# --- prerequisites and the database -----------------------------------------------------------


class Missing(Exception):
    """A prerequisite is missing: the run cannot start (exit status 2)."""


def check_prerequisites(args) -> dict:
    import psycopg

    from .load import wrk_version

    found = {}
    try:
        found["wrk"] = wrk_version()
    except (RuntimeError, OSError) as error:
        raise Missing(str(error)) from error
    try:
        with psycopg.connect(dbname="postgres", connect_timeout=5, **PG) as conn:
            found["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:
        raise Missing(f"PostgreSQL is not reachable at 127.0.0.1:5432: {error}") from error
    if not args.no_weight:
        from .weight import CHROMIUM

        if not CHROMIUM.exists():
            raise Missing(f"{CHROMIUM} is missing (apt-get install -y chromium), or --no-weight")
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as error:
            raise Missing("Python playwright is not installed (requirements-test.txt)") from error
    return found


def redis_up() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(REDIS, timeout=1):
        return True
    return False


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def create_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# What compose and the Kubernetes cluster set on production's PostgreSQL (docs/operations.md):
# the benchmark's database gets the same, whatever the machine's server defaults are.
PRODUCTION_PLANNER = {"random_page_cost": "1.1"}


def planner_as_in_production(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        for setting, value in PRODUCTION_PLANNER.items():
            conn.execute(
                sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)
                )
            )


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    assert name.startswith("bench_")  # noqa: S101 - never anything but our own
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def run_weight(base_url: str, pages: dict[str, str], env: dict) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.weight", base_url, json.dumps(pages)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"The weight check failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


# --- the run ---------------------------------------------------------------------------------


# Not copied into the snapshot: environments, caches, data and earlier results.
SNAPSHOT_SKIP_TOP = {".git", ".venv", "node_modules", "var", ".ruff_cache", ".pytest_cache"}
SNAPSHOT_SKIP_ANY = {"__pycache__", "test-results"}


def _snapshot_ignore(folder: str, names: list[str]) -> set[str]:
    here = Path(folder).resolve()
    skip = {name for name in names if name in SNAPSHOT_SKIP_ANY}
    if here == ROOT:
        skip |= {name for name in names if name in SNAPSHOT_SKIP_TOP}
    if here == ROOT / "benchmarks":
        skip.add("results")
    return skip


def code_version() -> dict:
    """The commit and whether the working tree differs from it (and how, as a hash)."""

    def git(*args) -> str:
        result = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    import hashlib

    changed = git("status", "--porcelain", "--untracked-files=all")
    diff = git("diff", "HEAD")
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "changed_files": len(changed.splitlines()),
        "diff_sha256": hashlib.sha256((diff + changed).encode()).hexdigest()[:12]
        if changed
        else "",
    }


def main(argv=None) -> int:
    """Copy the source tree, then run the benchmark from the copy: one consistent version of
    the code for the whole run, however the working tree changes meanwhile."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("BENCH_SNAPSHOT"):
        return run_benchmark(argv)
    args = parse_args(argv)
    out = args.out.resolve()
    snapshot = out / "tmp" / f"src-{os.getpid()}"
    shutil.copytree(ROOT, snapshot, ignore=_snapshot_ignore)
    env = {
        **os.environ,
        "BENCH_SNAPSHOT": str(ROOT),
        "BENCH_CODE": json.dumps(code_version()),
        "BENCH_COMMAND": " ".join(["python -m benchmarks.run", *argv]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "benchmarks.run", *argv, "--out", str(out)], cwd=snapshot, env=env
    )
    # The child stops gunicorn and drops the database; pass SIGTERM on and wait for it.
    signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
    try:
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:
                continue  # Ctrl+C reached the child too; it cleans up and exits
    finally:
        if not args.keep_tmp:
            shutil.rmtree(snapshot, ignore_errors=True)
            with contextlib.suppress(OSError):
                (out / "tmp").rmdir()
    return code if code >= 0 else 128 - code


def run_benchmark(argv) -> int:
    args = parse_args(argv)
    # SIGTERM (CI timeouts, kill) unwinds like Ctrl+C: gunicorn is stopped, the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        found = check_prerequisites(args)
    except Missing as error:
        log(f"cannot run: {error}")
        return 2

    out = args.out.resolve()
    tmp = out / "tmp" / f"run-{os.getpid()}"
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "BENCH_TMP": str(tmp),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Production requires Redis; without it the benchmark still runs, on a per-worker cache.
    env["REDIS_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
    cache = "redis" if redis_up() else "locmem (Redis was down)"
    env.pop("BENCH_CACHE", None)
    if not cache.startswith("redis"):
        env["BENCH_CACHE"] = "locmem"
    os.environ.clear()
    os.environ.update(env)

    started = datetime.now(UTC)
    found["code"] = json.loads(os.environ.get("BENCH_CODE") or "{}")
    created = False
    try:
        reuse = args.keep_db and database_exists(args.db)
        if not reuse:
            create_database(args.db)
        planner_as_in_production(args.db)
        created = True
        return _run(args, env, tmp, out, found, cache, started, reused=reuse)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except Missing as error:
        log(f"cannot run: {error}")
        return 2
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if created and not args.keep_db:
            drop_database(args.db)
            log(f"dropped database {args.db}")
        if not args.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
            with contextlib.suppress(OSError):
                (out / "tmp").rmdir()


def _run(args, env, tmp, out, found, cache, started, *, reused) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from . import seed
    from .machine import describe, summary
    from .pages import BASELINES, BUDGET, PAGES, SMOKE_PAGES, weight_misses
    from .report import write_reports
    from .server import Gunicorn

    machine = describe(wrk=found["wrk"], postgres=found["postgresql"], chromium=not args.no_weight)
    log(summary(machine))
    log(f"database {args.db} ({'reused' if reused else 'new'}), cache {cache}, tmp {tmp}")
    t0 = time.monotonic()
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit as error:
        raise Missing(
            "the models and their migrations disagree (makemigrations --check)"
        ) from error
    seed.prepare(media_root=Path(settings.MEDIA_ROOT))
    # The mix's writer adds ideas to a kept database (a few per second): up to 1 % more than
    # the first size is still that size, not a reason to seed 100,000 ideas afresh.
    if reused and seed.published_count() > args.sizes[0] * 1.01:
        log(f"{args.db} holds more than {args.sizes[0]:,} ideas: starting afresh")
        connection.close()
        create_database(args.db)
        seed.prepare(media_root=Path(settings.MEDIA_ROOT))
    if os.environ.get("BENCH_STATIC_ROOT"):
        log(f"static files collected already in {settings.STATIC_ROOT}")
    else:
        call_command("collectstatic", interactive=False, verbosity=0)
    log(f"schema, quarters, calls, images and static files ready in {time.monotonic() - t0:.1f} s")

    def active_queries() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    pages = SMOKE_PAGES if args.smoke else PAGES
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine,
        "code": found["code"],
        "settings": {
            "command": os.environ.get("BENCH_COMMAND", "python -m benchmarks.run"),
            "sizes": args.sizes,
            "duration_s": args.duration,
            "runs": args.runs,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "gunicorn_workers": args.workers,
            "quiet_wait_s": args.quiet_wait,
            "django_settings": "benchmarks.settings (halle_smartcity.settings.prod + baseline "
            "views, query counter, SECURE_SSL_REDIRECT=False)",
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            "cache": cache,
            "database": args.db,
            "reported_run": "the faster of the runs (both are in runs[])",
        },
        "budget": BUDGET.__dict__,
        "sizes": [],
    }
    failed = False
    for size in args.sizes:
        t0 = time.monotonic()
        seeded = seed.seed_to(size)
        seeded["seconds"] = round(time.monotonic() - t0, 1)
        log(f"{size:,} published ideas ready in {seeded['seconds']} s ({seeded})")
        sample = seed.sample_ideas(SAMPLE_IDEAS)
        step = {"size": size, "seed": seeded, "pages": [], "weight": {}, "sql": {}}
        connection.close()
        server = Gunicorn(env=env, log_path=tmp / "gunicorn.log", workers=args.workers)
        log("table 1: cache hits (production settings, wrk repeats each page's URLs)")
        clear_page_cache()
        with server:
            log(f"gunicorn on {server.base_url}, workers {server.worker_pids()}")
            step["pages"], table_failed = measure_table(
                [*BASELINES, *pages], sample, server, args, tmp, active_queries
            )
            failed |= table_failed
            weight_paths = {
                page.name: page_paths(page, sample)[0][0]
                for page in pages
                if page.weight
                and any(p["name"] == page.name and "rps" in p for p in step["pages"])
            }
            if not args.no_weight and weight_paths:
                step["weight"] = run_weight(server.base_url, weight_paths, env)
                for name, weight in step["weight"].items():
                    weight["budget_misses"] = weight_misses(weight)
                    log(
                        f"  first load {name}: {weight['requests']} requests, "
                        f"{weight['transferred_bytes'] / 1024:.0f} KB, "
                        f"{len(weight['foreign_requests'])} to other hosts"
                    )
        baselines = judge(step["pages"], step["pages"], "hits")
        if not args.no_cache_off:
            log("table 2: cache off (PAGE_CACHE_SECONDS=0, production settings otherwise)")
            off_env = {**env, "PAGE_CACHE_SECONDS": "0"}
            clear_page_cache()  # table 1's entries would otherwise answer table 2's requests
            with Gunicorn(env=off_env, log_path=tmp / "gunicorn.log", workers=args.workers) as off:
                rendered = [page for page in pages if page.kind != "download"]
                step["cache_off"], table_failed = measure_table(
                    rendered, sample, off, args, tmp, active_queries
                )
            failed |= table_failed
            judge(step["cache_off"], baselines, "off")
        if not args.no_mix or not args.no_submit:
            connection.close()
            with Gunicorn(env=env, log_path=tmp / "gunicorn.log", workers=args.workers) as live:
                if not args.no_mix:
                    failed |= run_mix(step, live, baselines, args, tmp, env)
                if not args.no_submit:
                    failed |= run_submissions(step, live, args, tmp)
        for page in pages:
            paths, skip = page_paths(page, sample)
            if not skip and any(p["name"] == page.name and "rps" in p for p in step["pages"]):
                step["sql"][page.name] = slow_queries(paths, explain=not args.no_explain)
        report["sizes"].append(step)
        report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        write_reports(report, out)  # after every size: a long run leaves partial results
    log(f"results: {out / 'results.md'} and {out / 'results.json'}")
    print(out / "results.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
