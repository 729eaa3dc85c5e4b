"""PostgreSQL restarted under load (an upgrade of the server, a failover): the site answers
again as soon as the database is back, with nothing lost. The web process keeps database
connections open between requests (CONN_MAX_AGE); a connection that died with the server must
be noticed and replaced (conn_health_checks), not turned into an error page for every
thread that still holds one."""

import glob
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from tests.deploy.helpers import gunicorn, site_env
from tests.processes import free_port, wait_for

from .processes import ROOT

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (the machine's server must not be touched),
    run as the `postgres` user, trust authentication on 127.0.0.1."""

    def __init__(self):
        # Not below pytest's tmp_path: the postgres user cannot enter root's 0700 directory.
        self.directory = Path(tempfile.mkdtemp(prefix="mitmachen-pg-", dir="/tmp"))
        self.data = self.directory / "data"
        self.port = free_port()
        shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "--auth=trust", "-U", "postgres", "-E", "UTF8"
        )

    def _as_postgres(self, *command) -> None:
        subprocess.run(
            [RUNUSER, "-u", "postgres", "--", *map(str, command)],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            PG_BIN / "pg_ctl", action, "-D", self.data, "-w", "-t", "60", "-o", options, *extra
        )

    def start(self) -> None:
        self._ctl("start", "-l", str(self.directory / "server.log"))

    def restart(self) -> None:
        # fast: the server disconnects every client, as a failover or a package upgrade does.
        self._ctl("restart", "-m", "fast", "-l", str(self.directory / "server.log"))

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    server.start()
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE mitmachen")
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()


@pytest.mark.early
def test_the_site_answers_again_once_a_restarted_database_is_back(private_postgres, tmp_path):
    env = site_env(
        database=private_postgres.url("mitmachen"),
        media=tmp_path / "media",
        CONN_MAX_AGE="600",
        PAGE_CACHE_SECONDS="0",  # every request goes to the database, none to the page cache
    )
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "migrate_safely"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "seed_demo"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with psycopg.connect(private_postgres.url("mitmachen")) as connection:
        before = connection.execute("SELECT count(*) FROM ideas_idea").fetchone()[0]
    assert before >= 85

    with gunicorn({**env, "GUNICORN_CMD_ARGS": "--threads 4"}) as base:
        pages = [f"{base}/", f"{base}/ideen/", f"{base}/statistik/", f"{base}/api/v1/ideas/"]
        # Every thread of the worker now holds an open connection to the server.
        for page in pages * 4:
            assert requests.get(page, timeout=30).status_code == 200

        answers: list[tuple[float, int]] = []  # (when the request began, its status)
        stop = threading.Event()

        def visitors():
            while not stop.is_set():
                for page in pages:
                    began = time.monotonic()
                    try:
                        answers.append((began, requests.get(page, timeout=30).status_code))
                    except requests.RequestException:
                        answers.append((began, 0))  # no answer within 30 s: a hang

        threads = [threading.Thread(target=visitors) for _ in range(3)]
        for thread in threads:
            thread.start()
        try:
            wait_for(lambda: len(answers) >= 12, timeout=60, message="no load before")
            private_postgres.restart()
            back = time.monotonic()

            def begun_since_back():
                return [status for began, status in list(answers) if began > back]

            wait_for(
                lambda: len(begun_since_back()) >= 40,
                timeout=120,
                message="the site did not answer after the restart",
            )
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        # Once the server is back every request succeeds, on every thread: the connections
        # that died with the server are replaced, not reported as errors.
        settled = begun_since_back()
        assert settled == [200] * len(settled)
        # During the restart itself a request may fail, but none hangs.
        assert 0 not in [status for _began, status in answers]

        # Restarted while nobody visits (a nightly upgrade): every thread still holds a
        # connection to the old server, and the first visitors must not meet an error page.
        private_postgres.restart()
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda url: requests.get(url, timeout=30).status_code,
                                     pages * 6))
        assert statuses == [200] * len(statuses)

    with psycopg.connect(private_postgres.url("mitmachen")) as connection:
        assert connection.execute("SELECT count(*) FROM ideas_idea").fetchone()[0] == before
