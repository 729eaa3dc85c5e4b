"""The idea list's result count: exact up to a cap, counted no further; above it the list of
all ideas shows the stored total with its time, a filtered list says "more than"; the count
is cached until an idea in that list changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import views
from ideas.counts import counts_refresh
from tests.factories import IdeaFactory, QuarterFactory
from tests.ideas.test_lists import bulk_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch, settings):
    """A cap of 5 and pages of 2, so that eight ideas are "many"; every request renders."""
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_filtered_list_longer_than_the_cap_says_more_than_and_pages_up_to_it(client, small_cap):
    quarter = bulk_ideas(8)[0].quarters.get()

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("ideas:idea-list"), {"quarter": quarter.code}).content.decode()

    assert "Mehr als 5 Ideen gefunden" in page
    assert "Seite 1 von 3" in page
    [count] = _counts(queries)
    assert "LIMIT 6" in count  # the database stops counting after the cap
    last = client.get(reverse("ideas:idea-list"), {"quarter": quarter.code, "page": 3})
    assert last.content.decode().count('class="kern-card idea-card"') == 1


def test_a_list_within_the_cap_shows_its_exact_count(client, small_cap):
    quarter = bulk_ideas(4)[0].quarters.get()

    page = client.get(reverse("ideas:idea-list"), {"quarter": quarter.code}).content.decode()

    assert "4 Ideen gefunden" in page
    assert "Mehr als" not in page
    assert "Stand:" not in page


def test_the_list_of_all_ideas_above_the_cap_shows_the_stored_total_with_its_time(
    client, small_cap
):
    ideas = bulk_ideas(8)
    counts_refresh()

    page = client.get(reverse("ideas:idea-list")).content.decode()
    last = client.get(reverse("ideas:idea-list"), {"page": 4}).content.decode()

    assert "8 Ideen gefunden" in page
    assert "Stand:" in page
    assert "Seite 1 von 4" in page
    assert ideas[-1].title in last  # the oldest, beyond the cap, can be reached
    # Sorting does not narrow the list: the same total.
    assert (
        "8 Ideen gefunden"
        in client.get(reverse("ideas:idea-list"), {"sort": "title"}).content.decode()
    )


def test_a_cached_count_stays_when_an_idea_in_another_list_changes(client, small_cap):
    ideas = bulk_ideas(3)
    quarter = ideas[0].quarters.get()
    elsewhere = QuarterFactory()
    url = reverse("ideas:idea-list")
    client.get(url, {"quarter": quarter.code})

    # (A new call or action field would change what every page shows: not here.)
    idea = IdeaFactory(call=ideas[0].call, primary_field=ideas[0].primary_field)
    idea.quarters.add(elsewhere)  # in another quarter's list only
    with CaptureQueriesContext(connection) as untouched:
        client.get(url, {"quarter": quarter.code})
    idea.quarters.add(quarter)  # now in this list too
    with CaptureQueriesContext(connection) as touched:
        page = client.get(url, {"quarter": quarter.code}).content.decode()

    assert _counts(untouched) == []
    assert len(_counts(touched)) == 1
    assert "4 Ideen gefunden" in page


# --- The filter form's choices ----------------------------------------------------------------


def test_the_filter_form_costs_no_query_once_its_choices_are_cached(client, settings):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0
    quarter = bulk_ideas(30)[0].quarters.get()
    url = reverse("ideas:idea-list")
    client.get(url, {"quarter": quarter.code, "page": 2})

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"quarter": quarter.code, "page": 2}).content.decode()

    # the page's ideas by number (their cards are kept); no call, field or quarter is read
    assert len(queries.captured_queries) == 1
    assert f'<option value="{quarter.code}" selected>{quarter.name}</option>' in page


def test_a_new_quarter_is_offered_at_once_and_the_choices_follow_the_language(client, settings):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0
    url = reverse("ideas:idea-list")
    assert "Alle Stadtteile" in client.get(url, headers={"accept-language": "de"}).content.decode()

    quarter = QuarterFactory(name="Neuer Stadtteil Xy")
    german = client.get(url, {"quarter": quarter.code}, headers={"accept-language": "de"})
    english = client.get(url, headers={"accept-language": "en"}).content.decode()

    assert f'<option value="{quarter.code}" selected>Neuer Stadtteil Xy</option>' in (
        german.content.decode()
    )
    assert "All quarters" in english
    assert "Neuer Stadtteil Xy" in english


def test_an_unknown_choice_is_dropped_with_a_message_and_not_echoed(client):
    bulk_ideas(3)

    page = client.get(reverse("ideas:idea-list"), {"quarter": "X<b>Q", "q": "Idee"})

    text = page.content.decode()
    assert "3 Ideen gefunden" in text
    assert "X<b>Q" not in text
