"""The page cache goes stale per object and per list (halle_smartcity/page_cache.py): a change
to one idea renders its own page and the lists again, not the pages of the other ideas."""

import threading
import time
import uuid

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from halle_smartcity import page_cache
from ideas import services
from ideas.models import Status
from tests.factories import DraftFactory, IdeaFactory, QuarterFactory, action_field

pytestmark = pytest.mark.django_db

LIST = reverse("ideas:idea-list")
API = reverse("api:idea-list")


def test_a_change_to_one_idea_leaves_the_other_ideas_pages_cached(
    client, django_assert_num_queries
):
    changed, other = IdeaFactory(title="Alter Titel"), IdeaFactory(title="Andere Idee")
    for url in (changed.get_absolute_url(), other.get_absolute_url(), LIST, API):
        client.get(url)

    changed.title = "Neuer Titel"
    changed.save()

    with django_assert_num_queries(0):
        assert "Andere Idee" in client.get(other.get_absolute_url()).content.decode()
    assert "Neuer Titel" in client.get(changed.get_absolute_url()).content.decode()
    page = client.get(LIST).content.decode()
    assert "Neuer Titel" in page and "Alter Titel" not in page
    assert "Neuer Titel" in [row["title"] for row in client.get(API).json()["results"]]


def test_saving_a_draft_leaves_the_lists_cached(client, django_assert_num_queries):
    IdeaFactory(title="Veröffentlicht")
    draft = DraftFactory(title="Entwurf")
    client.get(LIST)
    draft.title = "Entwurf, geändert"
    draft.save()
    with django_assert_num_queries(0):
        assert "Veröffentlicht" in client.get(LIST).content.decode()
    services.idea_submit(idea=draft, by=draft.author)
    assert "Entwurf, geändert" in client.get(LIST).content.decode()


def test_a_change_to_a_call_makes_every_idea_page_fresh(client):
    idea = IdeaFactory()
    client.get(idea.get_absolute_url())
    call = idea.call
    call.title = "Umbenannter Aufruf"
    call.save()
    assert "Umbenannter Aufruf" in client.get(idea.get_absolute_url()).content.decode()


def test_an_idea_page_follows_the_idea_it_names_as_its_duplicate(client):
    original = IdeaFactory(title="Das Original")
    duplicate = IdeaFactory(duplicate_of=original, status=Status.DUPLICATE)
    assert "Das Original" in client.get(duplicate.get_absolute_url()).content.decode()
    original.title = "Das umbenannte Original"
    original.save()
    assert "Das umbenannte Original" in client.get(duplicate.get_absolute_url()).content.decode()


def test_a_new_idea_in_one_quarter_leaves_the_list_of_another_quarter_cached(
    client, django_assert_num_queries
):
    altstadt, neustadt = QuarterFactory(name="Altstadt"), QuarterFactory(name="Neustadt")
    first = IdeaFactory(title="In der Altstadt", whole_city=False)
    first.quarters.set([altstadt])
    in_altstadt, in_neustadt = {"quarter": altstadt.code}, {"quarter": neustadt.code}
    client.get(LIST, in_altstadt)
    client.get(LIST, in_neustadt)

    # In the same call: a new call would change what every page shows.
    IdeaFactory(title="Neu in Neustadt", call=first.call, whole_city=False).quarters.set(
        [neustadt]
    )

    with django_assert_num_queries(0):
        assert "In der Altstadt" in client.get(LIST, in_altstadt).content.decode()
    assert "Neu in Neustadt" in client.get(LIST, in_neustadt).content.decode()
    assert "Neu in Neustadt" in client.get(LIST).content.decode()


def test_the_api_list_filtered_to_a_quarter_goes_stale_only_with_ideas_in_it(
    client, django_assert_num_queries
):
    altstadt, neustadt = QuarterFactory(), QuarterFactory()
    first = IdeaFactory(title="In der Altstadt", whole_city=False)
    first.quarters.set([altstadt])
    in_altstadt, in_neustadt = {"quarter": altstadt.code}, {"quarter": neustadt.code}
    client.get(API, in_altstadt)
    client.get(API, in_neustadt)

    IdeaFactory(title="Neu in Neustadt", call=first.call, whole_city=False).quarters.set(
        [neustadt]
    )

    with django_assert_num_queries(0):
        assert client.get(API, in_altstadt).json()["count"] == 1
    assert [row["title"] for row in client.get(API, in_neustadt).json()["results"]] == [
        "Neu in Neustadt"
    ]


def test_an_idea_moved_to_another_action_field_leaves_the_old_fields_list(client):
    idea = IdeaFactory(title="Wandernde Idee")
    old, new = action_field("bildung"), action_field("verwaltung")
    assert "Wandernde Idee" in client.get(LIST, {"field": old.slug}).content.decode()
    client.get(LIST, {"field": new.slug})

    idea.primary_field = new
    idea.save()
    idea.action_fields.set([new])

    assert "Wandernde Idee" not in client.get(LIST, {"field": old.slug}).content.decode()
    assert "Wandernde Idee" in client.get(LIST, {"field": new.slug}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_from_the_old_rows_before_the_commit_is_stale_after_it():
    idea = IdeaFactory(title="Vor dem Speichern")
    url = idea.get_absolute_url()

    def render_elsewhere() -> str:
        # Another connection, as another worker: it reads the rows committed so far.
        try:
            return Client().get(url).content.decode()
        finally:
            connection.close()

    with transaction.atomic():
        idea.title = "Nach dem Speichern"
        idea.save()
        results, threads = in_threads(1, render_elsewhere)
        threads[0].join(timeout=30)
        assert "Vor dem Speichern" in results[0]
    assert "Nach dem Speichern" in Client().get(url).content.decode()


# --- Stampede protection, on the machine's Redis ----------------------------------------


@pytest.fixture
def shared_cache(settings, redis_url):
    """The default cache on a real Redis, as production configures it (a prefix of its own)."""
    prefix = f"stampede-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "halle_smartcity.cache_backend.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


class SlowPage:
    """A cached view that renders only when released; it counts its renderings."""

    def __init__(self):
        self.renders = 0
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.view = page_cache.cache_public_page(tags=("stampede",))(self.render)

    def render(self, request):
        with self.lock:
            self.renders += 1
            number = self.renders
        assert self.release.wait(timeout=30)
        return HttpResponse(f"Fassung {number}")

    def get(self) -> str:
        request = RequestFactory().get("/langsam/")
        request.user = AnonymousUser()
        return self.view(request).content.decode()


def in_threads(count: int, function) -> tuple[list, list[threading.Thread]]:
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(function())) for _ in range(count)]
    for thread in threads:
        thread.start()
    return results, threads


def wait_until(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_while_one_request_renders_a_stale_page_the_others_get_the_stale_copy(shared_cache):
    page = SlowPage()
    page.release.set()
    assert page.get() == "Fassung 1"
    page.release.clear()
    page_cache.tags_bump("stampede")

    results, threads = in_threads(8, page.get)
    # Seven answer while the eighth is still rendering.
    wait_until(lambda: len(results) == 7)
    assert results == ["Fassung 1"] * 7
    page.release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert results[7] == "Fassung 2"
    assert page.renders == 2
    assert page.get() == "Fassung 2"


def test_without_a_copy_concurrent_requests_wait_for_the_one_renderer(shared_cache, monkeypatch):
    page = SlowPage()
    waiting = []
    wait = page_cache.wait_for_renderer

    def counted(*args):
        waiting.append(1)
        return wait(*args)

    monkeypatch.setattr(page_cache, "wait_for_renderer", counted)
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 30)
    results, threads = in_threads(8, page.get)
    wait_until(lambda: len(waiting) == 7)
    page.release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert results == ["Fassung 1"] * 8
    assert page.renders == 1


def test_a_deploy_with_changed_templates_serves_nothing_rendered_before(
    client, settings, tmp_path
):
    """Rendered pages and parts are keyed by the templates that rendered them: new templates
    (a deploy; or the other side of a rolling update) never get the old HTML."""
    folder = tmp_path / "templates"
    (folder / "ideas").mkdir(parents=True)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    page_cache.rendering_version.cache_clear()
    IdeaFactory(title="Trinkbrunnen am Markt")
    assert "Trinkbrunnen am Markt" in client.get(reverse("ideas:home")).content.decode()
    before = page_cache.rendering_version()

    (folder / "ideas" / "home.html").write_text("Neue Startseite", encoding="utf-8")
    # What a new process does: read the templates afresh.
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]
    page_cache.rendering_version.cache_clear()

    assert page_cache.rendering_version() != before
    assert client.get(reverse("ideas:home")).content.decode() == "Neue Startseite"
    page_cache.rendering_version.cache_clear()
