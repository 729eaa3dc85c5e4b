"""Two gunicorn replicas behind the real Caddy, sharing PostgreSQL and Redis, as a city runs
them with `docker compose up --scale web=2`: whichever replica answers, a visitor sees one
site (login, cached pages, rate limits), and no client picks its own rate-limit bucket."""

import json
import re
import uuid

import pytest
import redis
import requests
from django.db import connection

from ideas.models import Idea, IdeaImage
from tests.factories import CallFactory, IdeaFactory, UserFactory, action_field
from tests.images import jpeg_bytes

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
    # A page not cached yet renders from the database (the list's cards are cached parts).
    fresh = Visitor().get(stack.url("proxy_b", f"/ideen/{idea.pk}/"))

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
@pytest.fixture
def bucket_stack(shared_redis, tmp_path, transactional_db, moto_server):
    """The same two replicas with uploads in a private bucket of moto's S3 server (what
    several hosts need: neither replica has the other's disk)."""
    redis.Redis.from_url(shared_redis).flushall()
    bucket = f"bilder-{uuid.uuid4().hex[:12]}"
    moto_server.client().create_bucket(Bucket=bucket)
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    environment = production_environment(
        database_url=database_url, redis_url=shared_redis, media=tmp_path / "media"
    )
    environment.update(
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=moto_server.url,
        S3_ACCESS_KEY_ID=moto_server.access_key,
        S3_SECRET_ACCESS_KEY=moto_server.secret_key,
        S3_REGION=moto_server.region,
    )
    environment["STATIC_ROOT"] = str(collected_static(environment))
    running = Stack(environment=environment, logs=tmp_path)
    running.bucket = bucket
    try:
        running.start()
        yield running
    finally:
        running.stop()


def test_an_image_uploaded_through_replica_a_is_served_through_replica_b(
    bucket_stack, settings, moto_server
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(email="bert@example.org")
    call = CallFactory()
    visitor = Visitor()
    _login(visitor, bucket_stack, "proxy_a", "bert@example.org")

    create = bucket_stack.url("proxy_a", f"/aufrufe/{call.slug}/idee-einreichen/")
    form = visitor.get(create)
    assert form.status_code == 200, form.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    origin = bucket_stack.url("proxy_a", "").replace("http://", "https://")
    saved = visitor.post(
        create,
        data={
            "csrfmiddlewaretoken": token,
            "title": "Schattenbäume am Riebeckplatz",
            "summary": "Mehr Bäume gegen die Hitze.",
            "action_fields": [action_field("mobilitaet").pk],
            "primary_field": action_field("mobilitaet").pk,
            "whole_city": "on",
            "intent": "save",
        },
        files={"images": ("baum.jpg", jpeg_bytes(colour=(20, 120, 40)), "image/jpeg")},
        headers={"Origin": origin, "Referer": create},
    )
    assert saved.status_code == 302, saved.text
    image = IdeaImage.objects.get(idea__title="Schattenbäume am Riebeckplatz")
    keys = {
        entry["Key"]
        for entry in moto_server.client()
        .list_objects_v2(Bucket=bucket_stack.bucket)
        .get("Contents", [])
    }
    assert image.image.name in keys

    # Replica B has no file of it: it sends the author on to a signed URL of the bucket.
    path = f"/bilder/{image.pk}/gross/"
    through_b = visitor.get(bucket_stack.url("proxy_b", path))
    assert through_b.status_code == 302
    assert through_b.headers["Location"].startswith(f"{moto_server.url}/{bucket_stack.bucket}/")
    served = requests.get(through_b.headers["Location"], timeout=10)
    assert served.status_code == 200
    assert served.content[:3] == b"\xff\xd8\xff"
    # A draft's image stays the author's: others get nothing through either replica.
    assert Visitor().get(bucket_stack.url("proxy_b", path)).status_code == 404
