"""The embedded scheduler (`manage.py run_scheduled --every N` under `./dev run`) on the
embedded SQLite default: a database locked by another process fails a round, which is
logged, and the next round sends what is due."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError

from notices import tasks
from notices.models import Notice, NoticeState
from tests.factories import UserFactory
from tests.processes import wait_for

ROOT = Path(__file__).resolve().parent.parent

# Creates one pending notice (the confirmation of a subscription) in the database of the
# environment it runs in.
PENDING_NOTICE = """
import django
django.setup()
from notices.models import Notice
Notice.objects.create(kind="subscription_confirm", email="gesperrt@example.org",
                      dedupe_key="locked-database-test")
"""


def embedded_env(database: Path, smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        # Short, so that the test need not wait the default 20 seconds for the lock.
        "SQLITE_TIMEOUT": "0.5",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
    }


def run(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )


@pytest.mark.early
def test_the_scheduler_survives_a_locked_database_and_sends_in_the_next_round(
    tmp_path, smtp_inbox
):
    database = tmp_path / "db.sqlite3"
    env = embedded_env(database, smtp_inbox.port)
    run(env, "manage.py", "migrate", "--no-input")
    run(env, "-c", PENDING_NOTICE)
    check = sqlite3.connect(database)
    assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check.close()

    # Another process (the web process, in `./dev run`) holds the write lock.
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    log_path = tmp_path / "scheduled.log"
    with log_path.open("w") as log:
        scheduler = subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduled", "--every", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "Scheduled job notices-sweep failed" in log_path.read_text(),
            timeout=60,
            message=log_path.read_text,
        )
        text = log_path.read_text()
        assert "Traceback" in text
        assert "database is locked" in text
        assert smtp_inbox.messages == []

        holder.execute("ROLLBACK")
        holder.close()
        wait_for(lambda: smtp_inbox.messages, timeout=60, message=log_path.read_text)
        assert [message["To"] for message in smtp_inbox.messages] == ["gesperrt@example.org"]
        wait_for(
            lambda: "notices-sweep: 1" in log_path.read_text(),
            timeout=30,
            message=log_path.read_text,
        )
        assert scheduler.poll() is None, log_path.read_text()
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)


class StopLoop(BaseException):
    """Not an Exception: the scheduler's loop goes on after every Exception."""


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_tried_again_in_the_next_round_not_at_its_next_time(
    monkeypatch, capsys, caplog
):
    """The sweep runs every minute, but after a failure it is tried again at the next check
    (here: each second), and the loop goes on after it."""
    Notice.objects.create(
        kind="subscription_confirm",
        email="zweiter-versuch@example.org",
        recipient=UserFactory(),
        dedupe_key="retry-test",
    )
    real_sweep = tasks.notices_sweep
    calls = []

    def locked_once():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_sweep()

    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 2:
            raise StopLoop("two rounds")  # the loop itself never ends

    monkeypatch.setattr(tasks, "notices_sweep", locked_once)
    monkeypatch.setattr("halle_smartcity.management.commands.run_scheduled.time.sleep", sleep)
    with pytest.raises(StopLoop, match="two rounds"):
        call_command("run_scheduled", "--every", "1")
    assert len(calls) == 2
    assert Notice.objects.get().state == NoticeState.SENT
    assert "Scheduled job notices-sweep failed" in caplog.text
    output = capsys.readouterr().out
    assert "notices-sweep: failed" in output
    assert "notices-sweep: 1" in output
