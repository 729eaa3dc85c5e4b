"""Notices through the real stack: Redis as broker, Celery worker processes and an SMTP
server. These need the services; they fail, never skip, when one is missing."""

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import policy
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client

from halle_smartcity.celery import app as celery_app
from ideas import notices, services
from ideas.services import IdeaData
from notices.models import Notice, NoticeState
from notices.services import enqueue_sweep
from tests.factories import CallFactory, IdeaFactory, UserFactory
from tests.factories import action_field as field

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """An SMTP server that keeps what it accepts. `delay` slows each delivery down in the
    RCPT stage, so that a test can kill a worker in the middle of a batch."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay
        self.holding = threading.Event()  # set while a delivery waits in the RCPT stage

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:
            self.holding.set()
            await asyncio.sleep(self.delay)
            self.holding.clear()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.1)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # fails loudly without Redis
    return url


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of this test's own, which the test may stop and start again."""

    class PrivateRedis:
        port = free_port()
        process = None

        @property
        def url(self):
            return f"redis://127.0.0.1:{self.port}/0"

        def start(self):
            self.process = subprocess.Popen(
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_for(self._answers, timeout=10, message="private redis did not start")

        def stop(self):
            self.process.kill()
            self.process.wait(timeout=10)
            wait_for(lambda: not self._answers(), timeout=10, message="redis still answers")

        def _answers(self):
            try:
                return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

    server = PrivateRedis()
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class Workers:
    """Starts Celery worker processes on a queue of this test's own, sharing the test
    database, and points this process's producer at the same broker and queue."""

    def __init__(self, tmp_path, broker_url, smtp_port):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.smtp_port = smtp_port
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.processes = []
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CONN_MAX_AGE": "0",
            "REDIS_URL": broker_url,
            "CELERY_QUEUE": self.queue,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
        }

    def start(self, *, concurrency: int = 1):
        log_path = self.tmp_path / f"worker-{len(self.processes)}.log"
        with log_path.open("w") as log:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "halle_smartcity",
                    "worker",
                    "-Q",
                    self.queue,
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "-l",
                    "info",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process.log_path = log_path
        self.processes.append(process)
        wait_for(
            lambda: "ready." in log_path.read_text(),
            timeout=30,
            message=lambda: log_path.read_text(),
        )
        return process

    def kill(self, process):
        """SIGKILL the worker and its pool children: a crash, not a shutdown."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(process.log_path.read_text() for process in self.processes)


def _reset_producer():
    # Celery caches its connection pool and queue routing from the first use.
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def _use_broker(url, queue):
    previous = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=url, task_default_queue=queue)
    _reset_producer()
    return previous


@pytest.fixture
def workers(tmp_path, smtp_inbox, request):
    created = []

    def make(broker_url):
        group = Workers(tmp_path, broker_url, smtp_inbox.port)
        group.previous = _use_broker(broker_url, group.queue)
        created.append(group)
        return group

    yield make
    for group in created:
        group.stop_all()
        celery_app.conf.update(group.previous)
    _reset_producer()


def complete_data() -> IdeaData:
    return IdeaData(
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


def test_worker_drains_the_outbox_over_smtp_with_unsubscribe_headers(
    redis_url, workers, smtp_inbox
):
    group = workers(redis_url)
    worker = group.start()
    author = UserFactory(email="einreicherin@example.org", display_name="Saalenixe")
    idea = services.idea_save_draft(call=CallFactory(), author=author, data=complete_data())
    idea = services.idea_submit(idea=idea, by=author)  # writes the notice, queues the sweep

    wait_for(lambda: smtp_inbox.messages, timeout=30, message=group.logs)
    time.sleep(0.5)  # a duplicate would arrive now
    assert worker.poll() is None
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "einreicherin@example.org"
    assert idea.reference in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<notice-")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert idea.reference in text and idea.reference in html
    assert "Saalenixe" in text
    # The unsubscribe link in the header works without a login, with one POST.
    link = message["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        urlparse(link).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Notice.objects.get().state == NoticeState.SENT


def test_worker_killed_mid_batch_sends_each_notice_exactly_once(redis_url, workers,
                                                                smtp_inbox):
    # The worker is killed while a delivery is in progress (held in the RCPT stage): that
    # notice's transaction dies with it and the next sweep sends it; none is repeated. (A
    # kill in the instant between the server's final acceptance of a mail and the commit
    # that marks it sent would repeat that one mail: the outbox guarantees at-least-once,
    # with a window of that one round trip, and the repeat carries the same Message-ID.)
    smtp_inbox.delay = 0.1
    group = workers(redis_url)  # from here on, sweeps are queued on the broker
    call = CallFactory()
    ideas = [IdeaFactory(call=call) for _ in range(30)]
    for idea in ideas:
        notices.notice_submission_confirmation(idea=idea)
    assert Notice.objects.filter(state=NoticeState.PENDING).count() == 30
    first = group.start(concurrency=1)
    wait_for(lambda: len(smtp_inbox.messages) >= 5 and smtp_inbox.holding.is_set(),
             timeout=30, message=group.logs)
    group.kill(first)
    assert len(smtp_inbox.messages) < 30, "the batch finished before the kill"

    group.start(concurrency=2)
    enqueue_sweep()  # what beat does every minute
    wait_for(lambda: not Notice.objects.filter(state=NoticeState.PENDING).exists(),
             timeout=60, message=group.logs)
    time.sleep(0.5)
    recipients = [message["To"] for message in smtp_inbox.messages]
    assert sorted(recipients) == sorted(idea.author.email for idea in ideas)
    assert Notice.objects.filter(state=NoticeState.SENT).count() == 30


def test_submission_succeeds_while_redis_is_down_and_mail_follows(
    private_redis, workers, smtp_inbox
):
    group = workers(private_redis.url)
    private_redis.stop()
    author = UserFactory(email="trotzdem@example.org")
    started = time.monotonic()
    idea = services.idea_submit(
        idea=services.idea_save_draft(call=CallFactory(), author=author, data=complete_data()),
        by=author,
    )
    assert time.monotonic() - started < 10, "the submission hung on the broker"
    assert idea.reference
    notice = Notice.objects.get(kind="submission_confirmation")
    assert notice.state == NoticeState.PENDING

    private_redis.start()
    group.start()
    enqueue_sweep()  # beat's next sweep
    wait_for(lambda: smtp_inbox.messages, timeout=30, message=group.logs)
    time.sleep(0.5)
    assert [message["To"] for message in smtp_inbox.messages] == ["trotzdem@example.org"]
