"""Two gunicorn replicas behind the real Caddy, sharing PostgreSQL and Redis, as a city runs
them with `docker compose up --scale web=2`: whichever replica answers, a visitor sees one
site (login, cached pages, rate limits), and no client picks its own rate-limit bucket."""

import json
import re

import pytest
import redis
from django.db import connection

from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory

from .processes import private_redis, wait_for
from .stack import METRICS_TOKEN, Stack, Visitor, collected_static, production_environment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory):
    with private_redis(tmp_path_factory.mktemp("redis")) as (url, _process):
        yield url


@pytest.fixture
def stack(shared_redis, tmp_path, transactional_db):
    # The replicas use the test's own database (created and migrated by pytest-django); a
    # replica per test, because a transactional test's flush renews what they cache (content
    # types). The private Redis starts empty for each test.
    redis.Redis.from_url(shared_redis).flushall()
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    environment = production_environment(
        database_url=database_url, redis_url=shared_redis, media=tmp_path / "media"
    )
    environment["STATIC_ROOT"] = str(collected_static(environment))
    running = Stack(environment=environment, logs=tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def _login(visitor: Visitor, stack: Stack, proxy: str, email: str) -> None:
    form = visitor.get(stack.url(proxy, "/konto/login/"))
    assert form.status_code == 200, form.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    origin = stack.url(proxy, "").replace("http://", "https://")
    response = visitor.post(
        stack.url(proxy, "/konto/login/"),
        data={"login": email, "password": "Sehr-geheim-2026", "csrfmiddlewaretoken": token},
        headers={"Origin": origin, "Referer": origin + "/konto/login/"},
    )
    assert response.status_code == 302, response.text


def test_a_login_through_replica_a_holds_on_replica_b(stack, settings):
    # The replicas check passwords with production's hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    citizen = UserFactory(email="anna@example.org")
    IdeaFactory(author=citizen, title="Trinkbrunnen am Hallmarkt")
    visitor = Visitor()

    _login(visitor, stack, "proxy_a", "anna@example.org")
    page = visitor.get(stack.url("proxy_b", "/meine-ideen/"))

    assert page.status_code == 200
    assert "Trinkbrunnen am Hallmarkt" in page.text
    # Without the session the same page sends a visitor to the login.
    assert Visitor().get(stack.url("proxy_b", "/meine-ideen/")).status_code == 302


def _page_keys(url: str) -> list[bytes]:
    keys = []
    for number in range(16):
        keys += redis.Redis.from_url(f"{url}/{number}").keys("*:page:*")
    return keys


def test_the_anonymous_page_cache_is_shared_by_the_replicas(stack, shared_redis):
    idea = IdeaFactory(title="Bank am Markt")

    first = Visitor().get(stack.url("proxy_a", "/ideen/"))
    assert first.status_code == 200
    assert "Bank am Markt" in first.text
    assert _page_keys(shared_redis), "replica A stored no page in the shared Redis"
    # Changed behind the application's back (no invalidation): only a cached copy still
    # shows the old title.
    Idea.objects.filter(pk=idea.pk).update(title="Bank am Hafen")

    cached = Visitor().get(stack.url("proxy_b", "/ideen/"))
    fresh = Visitor().get(stack.url("proxy_b", "/ideen/?seite=1"))

    assert "Bank am Markt" in cached.text
    assert "Bank am Hafen" in fresh.text


def test_rate_limits_are_shared_by_the_replicas(stack):
    for _ in range(5):
        assert Visitor().get(stack.url("proxy_a", "/api/v1/fields/")).status_code == 200

    refused = Visitor().get(stack.url("proxy_b", "/api/v1/fields/"))

    assert refused.status_code == 429


def test_a_client_cannot_choose_its_rate_limit_bucket_through_the_proxy(stack):
    for number in range(5):
        response = Visitor().get(
            stack.url("proxy_a", "/api/v1/fields/"),
            headers={"X-Forwarded-For": f"198.51.100.{number}"},
        )
        assert response.status_code == 200

    forged = Visitor().get(
        stack.url("proxy_b", "/api/v1/fields/"), headers={"X-Forwarded-For": "198.51.100.77"}
    )
    # The reason gunicorn is never published: reached directly, the same header would work.
    direct = Visitor().get(
        stack.url("web_b", "/api/v1/fields/"),
        headers={"X-Forwarded-For": "198.51.100.77", "X-Forwarded-Proto": "https"},
    )

    assert forged.status_code == 429
    assert direct.status_code == 200


def test_each_request_logs_json_lines_with_its_id_through_proxy_and_replica(stack):
    response = Visitor().get(
        stack.url("proxy_a", "/gibt-es-nicht/"), headers={"X-Request-ID": "trace-7f3a9c2e"}
    )

    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-7f3a9c2e"

    def mine() -> set[tuple[str, str]]:
        lines = stack.log("web_a").splitlines()
        records = [json.loads(line) for line in lines if line.startswith("{")]
        return {
            (record["logger"], record["level"])
            for record in records
            if record.get("request_id") == "trace-7f3a9c2e"
        }

    # gunicorn writes its access line once the response has left.
    expected = {("django.request", "WARNING"), ("gunicorn.access", "INFO")}
    wait_for(lambda: mine() == expected, timeout=10, message=lambda: stack.log("web_a"))


def test_readiness_and_metrics_answer_on_the_internal_network_only(stack):
    bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    for _ in range(3):
        Visitor().get(stack.url("proxy_a", "/api/v1/fields/"))

    ready = Visitor().get(stack.url("web_a", "/readyz/"))
    metrics = Visitor().get(stack.url("web_a", "/metrics/"), headers=bearer)

    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == dict.fromkeys(
        ["database", "cache", "broker", "storage", "migrations"], "ok"
    )
    assert metrics.status_code == 200
    # The workers' request counters (joined across processes) and the scrape-time gauges.
    assert 'mitmachen_outbox_notices{state="pending"} 0.0' in metrics.text
    assert 'mitmachen_celery_queue_length{queue="celery"}' in metrics.text
    assert 'django_http_requests_total_by_method_total{method="GET"} 3.0' in metrics.text
    for path in ("/readyz/", "/metrics/"):
        assert Visitor().get(stack.url("proxy_a", path), headers=bearer).status_code == 404


# --- Images (S3) -------------------------------------------------------------------------------
# Left for the lead to add after merging the store branch: an image uploaded through replica A
# is served through replica B (a moto or MinIO server process as the shared bucket, its
# settings added to production_environment in stack.py).
