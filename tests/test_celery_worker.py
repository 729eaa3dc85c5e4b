"""The confirmation mail through the real stack: Redis as broker, a Celery worker process and
an SMTP server. These need the services; they fail, never skip, when one is missing."""

import email
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from email import policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection

from halle_smartcity.celery import app as celery_app
from ideas import services
from ideas.services import IdeaData
from tests.factories import CallFactory, UserFactory
from tests.factories import action_field as field

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # fails loudly without Redis
    return url


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def worker(redis_url, smtp_inbox, tmp_path, transactional_db):
    """A Celery worker process on a queue of its own, sharing the test database."""
    _inbox, smtp_port = smtp_inbox
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "halle_smartcity",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    _reset_producer()
    try:
        deadline = time.monotonic() + 30
        while "ready." not in (tmp_path / "worker.log").read_text():
            assert process.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)
        process.log_path = tmp_path / "worker.log"
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        celery_app.conf.update(previous)
        _reset_producer()


def _reset_producer():
    # Celery caches its connection pool and queue routing from the first use.
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def test_worker_sends_the_confirmation_mail_over_smtp(worker, smtp_inbox):
    inbox, _port = smtp_inbox
    author = UserFactory(email="einreicherin@example.org", display_name="Saalenixe")
    call = CallFactory()
    data = IdeaData(
        title="Digitale Schulwege",
        summary="Kurz.",
        description="Lang.",
        problem="Problem.",
        benefit="Nutzen.",
        action_fields=[field("bildung")],
        primary_field=field("bildung"),
        whole_city=True,
        consent=True,
    )
    idea = services.idea_save_draft(call=call, author=author, data=data)
    idea = services.idea_submit(idea=idea, by=author)  # queues the task on commit

    deadline = time.monotonic() + 30
    while not inbox.messages:
        assert worker.poll() is None, "the worker died"
        assert time.monotonic() < deadline, worker.log_path.read_text()
        time.sleep(0.2)
    time.sleep(0.5)  # a duplicate would arrive now
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "einreicherin@example.org"
    assert idea.reference in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert idea.reference in text and idea.reference in html
    assert "Saalenixe" in text
    assert f"/ideen/{idea.pk}/" in text
