import shutil

import pytest
from django.conf import settings

from tests.factories import CallFactory, UserFactory


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
def open_call(db):
    return CallFactory()


@pytest.fixture
def languages_de(settings):
    settings.LANGUAGE_CODE = "de"
    return settings


assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), (
    "The test suite runs on PostgreSQL: set DATABASE_URL."
)
