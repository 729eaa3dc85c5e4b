"""The cache fails open (halle_smartcity/cache_backend.py): with its Redis stopped, pages
answer from PostgreSQL, sign-in and every form work, rate limits are not enforced, and a
warning is logged. A private redis-server of the test's own is stopped and started again."""

import logging
import threading

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from events.models import Registration
from halle_smartcity import page_cache
from ideas.models import Idea, Status
from notices.models import Subscription
from tests.events.factories import EventFactory
from tests.factories import CallFactory, IdeaFactory, UserFactory, idea_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "Sehr-geheim-2026"  # tests.factories.UserFactory's


@pytest.fixture
def redis_cache(settings, private_redis):
    """The default cache on the private Redis, as production configures it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "halle_smartcity.cache_backend.FailOpenRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "mitmachen",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.RATELIMIT_FAIL_OPEN = True
    return private_redis


def cached_pages(server) -> list[bytes]:
    return redis.Redis.from_url(server.url).keys("mitmachen:*:page:*")


def idea_form(**overrides) -> dict:
    return idea_form_data(
        **{
            "title": "Trinkbrunnen am Markt",
            "summary": "Kostenloses Wasser für alle.",
            "description": "Ein Trinkbrunnen am Marktplatz.",
            "problem": "Im Sommer ist es heiß.",
            "benefit": "Niemand muss Wasser kaufen.",
            **overrides,
        }
    )

def test_public_pages_answer_from_the_database_while_the_cache_is_down(
    client, redis_cache, caplog
):
    idea = IdeaFactory(title="Sichtbar trotz Ausfall")
    redis_cache.stop()
    pages = [
        reverse("ideas:home"),
        reverse("ideas:idea-list"),
        idea.get_absolute_url(),
        reverse("ideas:idea-map"),
        reverse("ideas:statistics"),
        idea.call.get_absolute_url(),
        reverse("events:event-list"),
        reverse("api:idea-list"),
        reverse("account_login"),
        reverse("account_signup"),
    ]
    with caplog.at_level(logging.WARNING, logger="halle_smartcity.cache"):
        for path in pages:
            assert client.get(path).status_code == 200, path
    assert "Sichtbar trotz Ausfall" in client.get(reverse("ideas:idea-list")).content.decode()
    warnings = [r for r in caplog.records if r.name == "halle_smartcity.cache"]
    # One warning, not one traceback per cache call.
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert "rate limits are not enforced" in warnings[0].getMessage()
    assert warnings[0].exc_info is None


def test_sign_in_and_every_form_work_while_the_cache_is_down(
    client, redis_cache, django_capture_on_commit_callbacks
):
    citizen = UserFactory()
    call = CallFactory()
    event = EventFactory()
    redis_cache.stop()
    response = client.post(
        reverse("account_login"), {"login": citizen.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(reverse("ideas:idea-create", args=[call.slug]), idea_form())
        registered = client.post(
            reverse("events:event-register", args=[event.slug]), {"name": "Anna"}
        )
        subscribed = client.post(
            reverse("ideas:call-subscribe", args=[call.slug]), {"email": "neu@example.org"}
        )
    assert submitted.status_code == 302
    idea = Idea.objects.get(author=citizen)
    assert idea.status == Status.SUBMITTED and idea.reference
    assert registered.status_code == 302
    assert Registration.objects.filter(event=event, user=citizen).exists()
    assert subscribed.status_code == 302
    assert Subscription.objects.filter(email="neu@example.org").exists()


def test_rate_limits_are_not_enforced_while_the_cache_is_down_and_hold_again_after(
    client, redis_cache, settings
):
    settings.MITMACHEN_IDEA_WRITE_RATE = "1/h"
    client.force_login(UserFactory())
    call = CallFactory()
    url = reverse("ideas:idea-create", args=[call.slug])
    redis_cache.stop()
    for title in ("Erste", "Zweite", "Dritte"):
        assert client.post(url, idea_form(title=title, intent="save")).status_code == 302
    redis_cache.start()
    assert client.post(url, idea_form(title="Vierte", intent="save")).status_code == 302
    assert client.post(url, idea_form(title="Fünfte", intent="save")).status_code == 429


def test_the_page_cache_works_again_when_redis_is_back(client, redis_cache):
    redis_cache.stop()
    assert client.get(reverse("ideas:home")).status_code == 200
    redis_cache.start()
    assert cached_pages(redis_cache) == []
    assert client.get(reverse("ideas:home")).status_code == 200
    assert len(cached_pages(redis_cache)) == 1


def test_while_the_cache_is_down_no_request_waits_for_another_to_render(redis_cache, monkeypatch):
    """The page cache's lock is an `add`, which answers True during the outage: concurrent
    requests for one page all render at once (a barrier they pass only together), none
    waits for a renderer."""
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 60)
    together = threading.Barrier(4, timeout=20)

    @page_cache.cache_public_page(tags=("outage",))
    def view(request):
        together.wait()
        return HttpResponse("gerendert")

    def get():
        request = RequestFactory().get("/gleich/")
        request.user = AnonymousUser()
        return view(request).content.decode()

    redis_cache.stop()
    results = []
    threads = [threading.Thread(target=lambda: results.append(get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == ["gerendert"] * 4
