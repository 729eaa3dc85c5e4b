"""Real services for the tests that need them, each a process of the test's own on a free
port of 127.0.0.1: Redis, an SMTP inbox, Celery workers, an S3-compatible store (moto).
The fixtures are in tests/conftest.py; a test that needs a service fails without it."""

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

import redis
import requests
from django.db import connection

from halle_smartcity.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, message, interval: float = 0.1) -> None:
    """Wait until `condition()` holds; fail with `message` (or its result) at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(interval)


def stop_process(process: subprocess.Popen, *, group: bool = False) -> None:
    """SIGTERM, then SIGKILL after 15 s; `group` for a process that started its own session."""
    if process.poll() is not None:
        return
    if group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


class PrivateRedis:
    """A Redis of this test's own, which the test may stop and start again (same port)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def db_url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
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
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, message="private redis did not start")

    def stop(self) -> None:
        """Kill it (a crash, not a shutdown) and wait until the port is dead."""
        self.process.kill()
        self.process.wait(timeout=10)
        wait_for(lambda: not self.answers(), timeout=10, message="redis still answers")

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


class Inbox:
    """An SMTP server's handler that keeps what it accepts. `delay` slows each delivery down
    in the RCPT stage, so that a test can kill a worker in the middle of a batch."""

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


def database_url() -> str:
    """The test database, for processes of the test's own (workers, gunicorn)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """Starts Celery worker processes on a queue of this test's own, sharing the test
    database, and points this process's producer at the same broker and queue."""

    def __init__(self, tmp_path, broker_url, smtp_port):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.smtp_port = smtp_port
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.processes = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url(),
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
            stop_process(process, group=True)

    def logs(self) -> str:
        return "\n".join(process.log_path.read_text() for process in self.processes)

    def drained(self) -> bool:
        """Nothing is waiting on the broker and every task a live worker received has
        finished: no further mail can come from what was queued (the positive proof before
        a test counts the mails)."""
        client = redis.Redis.from_url(self.broker_url, socket_connect_timeout=3)
        # Kombu keeps a queue as one list per priority: the queue's name and suffixed names.
        waiting = sum(
            client.llen(key)
            for key in client.keys(self.queue + "*")
            if client.type(key) == b"list"
        )
        finished = ("] succeeded in ", "] raised unexpected", "] retry:")
        for process in self.processes:
            if process.poll() is not None:
                continue  # a killed worker's task was never acknowledged: it counts as not sent
            log = process.log_path.read_text()
            if log.count("] received") != sum(log.count(mark) for mark in finished):
                return False
        return waiting == 0


def reset_producer():
    # Celery caches its connection pool and queue routing from the first use.
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def use_broker(url, queue) -> dict:
    """Point this process's task producer at `url` and `queue`; returns what it was."""
    previous = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=url, task_default_queue=queue)
    reset_producer()
    return previous


class MotoServer:
    """moto's stand-alone S3 endpoint: boto3 and django-storages talk to it over HTTP, and
    signed URLs work as on a real store (an unsigned request for a private object is 403)."""

    access_key = "test-access-key"
    secret_key = "test-secret-key"
    region = "us-east-1"

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.answers, timeout=60, message=lambda: self.log_path.read_text())

    def answers(self) -> bool:
        # A slow first answer (a busy machine, parallel test workers) is not yet an answer.
        try:
            return requests.get(self.url, timeout=5).status_code < 500
        except (requests.ConnectionError, requests.Timeout):
            return False

    def stop(self) -> None:
        stop_process(self.process)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )


def fetch(url: str) -> requests.Response:
    """GET a URL from outside Django (a signed object-storage URL), as a browser would."""
    return requests.get(url, timeout=10)
