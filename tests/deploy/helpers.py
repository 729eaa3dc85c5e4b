"""Running the deploy scripts and the site as an operator would: real processes, the test's
PostgreSQL, throwaway databases and directories."""

import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests
from django.conf import settings
from psycopg import sql

from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
MANAGE = f"{ROOT}/.venv/bin/python {ROOT}/manage.py"


def database_url(name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{name or db['NAME']}"
    )


def _admin_connection():
    return psycopg.connect(database_url("postgres"), autocommit=True)


@contextmanager
def throwaway_database(name: str):
    """An empty database that is dropped afterwards, whatever happened."""
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_digests(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of all its rows."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        digests = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            digests[table] = (count, digest)
        return digests


def site_env(*, database: str, media: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like process of the embedded default: PostgreSQL from
    `database`, uploads in `media`, no Redis, DEBUG off."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS", "CACHE_", "CELERY_", "S3_"))
        and key not in {"DATABASE_URL", "MEDIA_ROOT", "DEBUG"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media),
        "MANAGE": MANAGE,
        **extra,
    }


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@contextmanager
def gunicorn(env: dict[str, str], deadline: float = 60.0):
    """The site under gunicorn on a free port; yields its base URL once it answers."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "halle_smartcity.wsgi",
             "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            end = time.monotonic() + deadline
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise AssertionError(log.read().decode()[-3000:])
                try:
                    # The liveness probe: cheap, so a busy machine does not time it out.
                    requests.get(base + "/healthz/", timeout=5).raise_for_status()
                    break
                except (requests.ConnectionError, requests.Timeout, requests.HTTPError):
                    assert time.monotonic() < end, "gunicorn did not answer in time"
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)
