"""Real processes for the production tests: free ports, a private Redis, a throwaway
PostgreSQL database, waiting for a condition with a deadline."""

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

from tests.processes import free_port, wait_for
from tests.processes import stop_process as stop

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"  # Debian's package (./dev installs it)


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def private_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A redis-server of the test's own on a free port, configured like the broker in
    production (`noeviction`); yields its base URL (without database) and the process."""
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory-policy",
            "noeviction",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        wait_for(lambda: _pings(url), timeout=20, message="the private Redis did not start")
        yield url, process
    finally:
        stop(process)


def _pings(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        return False


def _admin_url() -> tuple[str, str]:
    server = urlsplit(os.environ["DATABASE_URL"])
    return f"{server.scheme}://{server.netloc}", f"postgresql://{server.netloc}/postgres"


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """An empty PostgreSQL database on the test's server, dropped afterwards."""
    base, admin = _admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
