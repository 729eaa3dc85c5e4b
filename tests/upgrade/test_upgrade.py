"""A running installation upgrades across the split of the ideas app by concept without
losing a row: a database filled at the head of 697051c (demo data, assessments, shortlists,
votes, notices of 16 kinds, subscriptions, audit entries) is migrated to today's head, and
every row is found again in its new table (steps.py), on PostgreSQL and on the embedded
SQLite default alike."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("data") / "head-697051c.json.gz"


def _run(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.test",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def postgres_url():
    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"mitmachen_upgrade_{uuid.uuid4().hex[:8]}"
    admin = f"{server.scheme}://{server.netloc}/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield f"{server.scheme}://{server.netloc}/{name}"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"


@pytest.mark.early
@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_every_row_survives_the_split_of_the_ideas_app(backend, request):
    database_url = request.getfixturevalue(backend)
    loaded = _run("-m", "tests.upgrade.steps", "load", str(FIXTURE), database_url=database_url)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 1068 rows" in loaded.stdout
    migrated = _run("manage.py", "migrate", "--no-input", database_url=database_url)
    assert migrated.returncode == 0, migrated.stderr
    assert "ideas.0016_move_out_by_concept" in migrated.stdout
    compared = _run(
        "-m", "tests.upgrade.steps", "compare", str(FIXTURE), database_url=database_url
    )
    assert compared.returncode == 0, compared.stdout + compared.stderr
    assert compared.stdout.strip() == "[]"
    undone = _run("-m", "tests.upgrade.steps", "back", str(FIXTURE), database_url=database_url)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert undone.stdout.strip() == "[]"
