"""/healthz/ and /readyz/: what an orchestrator asks. Liveness never depends on anything but
the process; readiness reports each dependency and turns red (503) when one fails."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from halle_smartcity.celery import app as celery_app

from .processes import private_redis, stop

DEPENDENCIES = {"database", "cache", "broker", "storage", "migrations"}


@pytest.fixture
def production_like(settings):
    """A host list without the probe's address and the HTTPS redirect on, as in production."""
    settings.ALLOWED_HOSTS = ["mitmachen.example"]
    settings.SECURE_SSL_REDIRECT = True
    return settings


@pytest.mark.parametrize("path", ["/healthz/", "/healthz", "/readyz/"])
def test_probes_answer_at_the_containers_address_without_redirect(
    client, production_like, path, transactional_db
):
    response = client.get(path, HTTP_HOST="10.42.0.7:8000")

    assert response.status_code == 200, response.content
    assert "no-cache" in response["Cache-Control"]
    # The same address is refused everywhere else (the host check still applies).
    assert client.get("/ideen/", HTTP_HOST="10.42.0.7:8000").status_code == 400


def test_readiness_reports_every_dependency(client, transactional_db):
    response = client.get("/readyz/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": dict.fromkeys(DEPENDENCIES, "ok"),
    }


def test_stopped_redis_turns_readiness_red_and_leaves_liveness_green(
    client, settings, monkeypatch, tmp_path, transactional_db
):
    with private_redis(tmp_path) as (url, process):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"{url}/1",
            }
        }
        monkeypatch.setitem(celery_app.conf, "broker_url", f"{url}/0")
        assert client.get("/readyz/").status_code == 200

        stop(process)
        response = client.get("/readyz/")

        assert response.status_code == 503
        checks = response.json()["checks"]
        assert set(checks) == DEPENDENCIES
        assert checks["broker"] == "Unavailable: Broker unreachable"
        assert checks["cache"].startswith(("Unavailable", "Unexpected Result"))
        assert {name for name, state in checks.items() if state == "ok"} == {
            "database",
            "storage",
            "migrations",
        }
        assert client.get("/healthz/").status_code == 200


def test_a_pending_migration_turns_readiness_red(client, transactional_db):
    recorder = MigrationRecorder(connection)
    latest = max(name for app, name in recorder.applied_migrations() if app == "notices")
    recorder.record_unapplied("notices", latest)
    try:
        response = client.get("/readyz/")
    finally:
        recorder.record_applied("notices", latest)

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "Unavailable: 1 migration(s) not applied"
