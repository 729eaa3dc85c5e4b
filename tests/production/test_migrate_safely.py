"""Three processes migrate one empty database at once (three web replicas or a compose
one-off and a Kubernetes Job starting together): all succeed, the schema is complete."""

import os
import subprocess
import sys

import psycopg
import pytest

from .processes import ROOT, throwaway_database


def _manage(*args: str, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.test",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.early
def test_three_migrate_safely_at_once_on_an_empty_database_all_succeed():
    with throwaway_database("mitmachen_migrate") as url:
        processes = [_manage("migrate_safely", database_url=url) for _ in range(3)]
        outputs = [process.communicate(timeout=600)[0] for process in processes]

        for process, output in zip(processes, outputs, strict=True):
            assert process.returncode == 0, output
            assert "Database schema is up to date." in output
        # Every migration is applied: `migrate --check` exits 1 if one is not.
        check = _manage("migrate", "--check", database_url=url)
        output = check.communicate(timeout=120)[0]
        assert check.returncode == 0, output
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
            tables = {row[0] for row in db.execute("SELECT tablename FROM pg_tables")}
            granted = db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            assert granted.fetchone()[0] == 0  # nobody kept the lock
        assert {"ideas_idea", "notices_notice", "audit_auditentry", "django_session"} <= tables
