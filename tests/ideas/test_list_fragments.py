"""The idea list's parts cached across pages (`page_cache.fragments_each`): each card under its
idea, the filter form per filtering. With the page cache off (every page renders) what a
visitor sees must still change at once with what the parts show."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion import services as discussion
from ideas.models import Status
from tests.factories import IdeaFactory, QuarterFactory, UserFactory
from tests.ideas.test_lists import bulk_ideas, cards_shown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0


def list_page(client, **params) -> str:
    return client.get(
        reverse("ideas:idea-list"), params, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()


def test_a_changed_idea_shows_on_the_list_at_once_and_the_others_keep_their_cards(client):
    changed = IdeaFactory(title="Sitzbänke mit Solar")
    other = IdeaFactory(title="Trinkbrunnen am Markt")
    list_page(client)  # both cards cached

    changed.title = "Sitzbänke mit Solarstrom"
    changed.status = Status.SCREENED
    changed.save()
    with CaptureQueriesContext(connection) as queries:
        page = list_page(client)

    assert sorted(title for _pk, title in cards_shown(page)) == [
        "Sitzbänke mit Solarstrom",
        "Trinkbrunnen am Markt",
    ]
    # Only the changed idea's card was read again (one query for it and its prefetches).
    card_reads = [q["sql"] for q in queries.captured_queries if "ideas_idea_quarters" in q["sql"]]
    assert len(card_reads) == 1
    assert f"{changed.pk}" in card_reads[0]
    assert str(other.pk) not in card_reads[0].split("IN (", 1)[1]


def test_a_new_support_shows_on_the_card_at_once(client):
    idea = IdeaFactory(title="Trinkbrunnen am Markt")
    assert "0 Unterstützungen" in list_page(client)

    discussion.support_add(idea=idea, by=UserFactory())

    assert "1 Unterstützung " in list_page(client)


def test_cards_in_another_language_are_kept_apart(client):
    IdeaFactory(title="Trinkbrunnen am Markt")
    list_page(client)
    english = client.get(reverse("ideas:idea-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 supports" in english


def test_a_new_quarter_shows_in_the_filter_form_at_once(client):
    IdeaFactory()
    assert "Silberhöhe" not in list_page(client)

    QuarterFactory(name="Silberhöhe", code="61")

    assert "Silberhöhe" in list_page(client)


def test_the_filter_form_keeps_each_filterings_values(client):
    IdeaFactory()
    list_page(client, q="Radweg")
    page = list_page(client, q="Brunnen")
    assert 'value="Brunnen"' in page
    assert 'value="Radweg"' not in page


def test_cached_cards_need_one_query_for_the_page(client, django_assert_max_num_queries):
    bulk_ideas(45)
    list_page(client)  # cards and filter choices cached
    with django_assert_max_num_queries(2):  # the page's numbers (and at most the count)
        page = list_page(client)
    assert page.count('class="kern-card idea-card"') == 20


def test_without_the_fragment_cache_every_card_renders(client, settings):
    settings.MITMACHEN_FRAGMENT_CACHE_SECONDS = 0
    idea = IdeaFactory(title="Trinkbrunnen am Markt")
    list_page(client)
    type(idea).objects.filter(pk=idea.pk).update(title="Trinkbrunnen am Hallmarkt")  # no signal
    assert [title for _pk, title in cards_shown(list_page(client))] == [
        "Trinkbrunnen am Hallmarkt"
    ]


def test_a_ranked_search_is_ranked_once_and_new_ideas_join_when_it_expires(client, monkeypatch):
    from ideas import similarity_search

    first = IdeaFactory(title="Radwege an Schulen")
    assert [t for _pk, t in cards_shown(list_page(client, q="Radweg"))] == ["Radwege an Schulen"]
    IdeaFactory(title="Mehr Radwege im Norden", call=first.call)

    with CaptureQueriesContext(connection) as queries:
        again = cards_shown(list_page(client, q="Radweg"))
    assert not [q for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert [title for _pk, title in again] == ["Radwege an Schulen"]

    now = time.time
    later_by = similarity_search.RANKED_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: now() + later_by)  # the ranking has expired
    later = sorted(title for _pk, title in cards_shown(list_page(client, q="Radweg")))
    assert later == ["Mehr Radwege im Norden", "Radwege an Schulen"]
