import os
import shutil
import uuid

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings

from halle_smartcity.celery import app as celery_app
from halle_smartcity.object_storage import media_storage

# Overrides pytest-django's: one migration for all xdist workers.
from tests.database_setup import django_db_setup, drop_template  # noqa: F401
from tests.factories import CallFactory, UserFactory
from tests.processes import (
    Inbox,
    MotoServer,
    PrivateRedis,
    Workers,
    free_port,
    reset_producer,
    use_broker,
)

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def _early(item) -> bool:
    return item.get_closest_marker("early") is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests marked `early` run first: pytest-xdist hands out tests in this order, so the
    longest start at once rather than keep one worker busy after the others are done. Only a
    test without the test database may move: pytest-django orders those by how they use it."""
    for item in filter(_early, items):
        uses = DATABASE_FIXTURES & set(item.fixturenames)
        assert not uses and item.get_closest_marker("django_db") is None, (
            f"{item.nodeid} is marked early but uses the test database"
        )
    items.sort(key=lambda item: not _early(item))


def pytest_sessionfinish(session):
    drop_template(session.config)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def editor(client):
    """A member of the editors' group (Redaktion), signed in on `client`."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def open_call(db):
    return CallFactory()


@pytest.fixture
def languages_de(settings):
    settings.LANGUAGE_CODE = "de"
    return settings


# --- Real services (tests/processes.py) -------------------------------------------------


def worker_redis_url() -> str:
    """TEST_REDIS_URL (a database of its own per worktree), moved on by the pytest-xdist
    worker's number, so that parallel workers use databases of their own (modulo Redis's 16).
    The tests keep apart within one database as well: each uses a key prefix or queue of its
    own."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base, _slash, db = url.rpartition("/")
    if not (db.isdigit() and worker.startswith("gw") and worker[2:].isdigit()):
        return url
    return f"{base}/{(int(db) + int(worker[2:])) % 16}"


@pytest.fixture
def redis_url():
    """The machine's Redis, a database of this test worker's own (`worker_redis_url`)."""
    url = worker_redis_url()
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # fails loudly without Redis
    return url


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of this test's own, which the test may stop and start again."""
    server = PrivateRedis(tmp_path)
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


@pytest.fixture
def workers(tmp_path, smtp_inbox):
    """`workers(broker_url)` gives a Workers group on that broker (started with .start())."""
    created = []

    def make(broker_url):
        group = Workers(tmp_path, broker_url, smtp_inbox.port)
        group.previous = use_broker(broker_url, group.queue)
        created.append(group)
        return group

    yield make
    for group in created:
        group.stop_all()
        celery_app.conf.update(group.previous)
    reset_producer()


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(moto_server, settings):
    """A fresh private bucket on the moto server, made the default storage for this test."""

    class Bucket:
        name = f"bilder-{uuid.uuid4().hex[:12]}"
        client = moto_server.client()
        server = moto_server

        def keys(self) -> set[str]:
            listing = self.client.list_objects_v2(Bucket=self.name)
            return {entry["Key"] for entry in listing.get("Contents", [])}

        def read(self, key: str) -> bytes:
            return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    bucket = Bucket()
    bucket.client.create_bucket(Bucket=bucket.name)
    bucket.storage_settings = media_storage(
        bucket=bucket.name,
        endpoint_url=moto_server.url,
        access_key=moto_server.access_key,
        secret_key=moto_server.secret_key,
        region=moto_server.region,
        url_expiry=60,
    )
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_settings}
    return bucket


assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), (
    "The test suite runs on PostgreSQL: set DATABASE_URL."
)
