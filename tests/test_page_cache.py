"""The page cache goes stale per object and per list (halle_smartcity/page_cache.py): a change
to one idea renders its own page and the lists again, not the pages of the other ideas."""

import pytest
from django.urls import reverse

from ideas import services
from ideas.models import Status
from tests.factories import DraftFactory, IdeaFactory

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
