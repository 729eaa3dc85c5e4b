"""The parts of the home page, a call's page, the statistics and the open-data API's action
fields that are cached for every visitor (page_cache.fragment), whether the page cache is on
or not: a fixed number of queries at any number of ideas, and every part shows a change."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideas.counts import counts_refresh
from ideas.models import Idea
from tests.events.factories import EventFactory, MilestoneFactory
from tests.factories import CallFactory, IdeaFactory, QuarterFactory
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    # What a visitor gets on a miss of the page cache: only the parts are cached.
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, start: str) -> str:
    """The HTML from `start` to the end of its section."""
    return html[html.index(start) :].split("</section>")[0]


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("name", ["ideas:home", "call", "ideas:statistics", "api:field-list"])
def test_pages_with_counts_read_one_row_once_their_parts_are_cached(client, count, name):
    call = CallFactory()
    Idea.objects.bulk_create(
        IdeaFactory.build(call=call, author=None, primary_field=field(), reference=f"SC-{n}")
        for n in range(count)
    )
    counts_refresh()
    EventFactory(call=call)
    MilestoneFactory(call=call, public=True, phase="measures")
    path = call.get_absolute_url() if name == "call" else reverse(name)
    page(client, path)  # the first visitor renders the parts
    with CaptureQueriesContext(connection) as queries:
        page(client, path)
    # The stored counts of the page's scope, nothing else.
    assert [q["sql"] for q in queries.captured_queries if "countsnapshot" not in q["sql"]] == []
    assert len(queries.captured_queries) == 1


def test_a_new_idea_shows_on_home_at_once_and_in_the_numbers_after_the_recount(client):
    call = CallFactory()
    IdeaFactory(call=call, title="Die erste Idee", submitted_at=timezone.now() - timedelta(days=1))
    counts_refresh()
    home = client.get(reverse("ideas:home"))
    assert "Die erste Idee" in section(home.content.decode(), 'id="latest-title"')
    assert home.context["total"] == 1

    IdeaFactory(call=call, title="Die zweite Idee")
    home = client.get(reverse("ideas:home"))
    assert "Die zweite Idee" in section(home.content.decode(), 'id="latest-title"')
    assert home.context["total"] == 1  # the numbers wait for the recount, with their time
    counts_refresh()
    assert client.get(reverse("ideas:home")).context["total"] == 2
    assert "Die zweite Idee" in section(page(client, call.get_absolute_url()), "call-ideas-title")


def test_a_renamed_action_field_shows_in_the_api_and_the_statistics(client):
    bildung = field("bildung")
    IdeaFactory(action_fields=[bildung])
    counts_refresh()
    names = {row["slug"]: row["name"] for row in client.get("/api/v1/fields/").json()["results"]}
    assert names["bildung"] == bildung.name
    assert "Lernen in der Stadt" not in page(client, reverse("ideas:statistics"))

    bildung.name = "Lernen in der Stadt"
    bildung.save()
    names = {row["slug"]: row["name"] for row in client.get("/api/v1/fields/").json()["results"]}
    assert names["bildung"] == "Lernen in der Stadt"
    charts = section(page(client, reverse("ideas:statistics")), 'id="stat-fields"')
    assert "Lernen in der Stadt" in charts


def test_the_statistics_charts_change_with_the_counts_not_before(client):
    quarter = QuarterFactory(name="Gartenstadt Nord")
    IdeaFactory()
    counts_refresh()
    assert "Gartenstadt Nord" not in page(client, reverse("ideas:statistics"))

    idea = IdeaFactory(whole_city=False)
    idea.quarters.set([quarter])
    # Until the recount the charts show the stored numbers, as the total above them does.
    assert "Gartenstadt Nord" not in page(client, reverse("ideas:statistics"))
    counts_refresh()
    charts = section(page(client, reverse("ideas:statistics")), 'id="stat-quarters"')
    assert "Gartenstadt Nord" in charts


def current_phase(html: str) -> str:
    step = re.search(r'aria-current="step">\s*<span class="phases__title[^"]*">([^<]+)<', html)
    return step.group(1)


def test_the_panels_follow_events_milestones_and_time(client):
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=3))
    EventFactory(
        call=call, title="Werkstatt läuft", starts_at=now - timedelta(hours=1), ends_at=now
    )
    running = EventFactory(
        title="Sprechstunde", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    home = page(client, reverse("ideas:home"))
    assert "Sprechstunde" in home and "Werkstatt läuft" not in home
    during_call = current_phase(home)

    # A new event is on the page at once.
    EventFactory(title="Ideenwerkstatt")
    assert "Ideenwerkstatt" in page(client, reverse("ideas:home"))
    # An event that ended is gone, with no change but the time.
    later = running.ends_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Sprechstunde" not in page(client, reverse("ideas:home"))
    # After the deadline, the process has moved on (the day changed, nothing else).
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=5)):
        after_deadline = current_phase(page(client, reverse("ideas:home")))
        cache.clear()
        assert after_deadline == current_phase(page(client, reverse("ideas:home")))
    assert after_deadline != during_call
    # A milestone marking a later phase that has started moves it too.
    MilestoneFactory(call=call, public=True, phase="measures", starts_on=timezone.localdate())
    moved = current_phase(page(client, reverse("ideas:home")))
    assert moved not in (during_call, after_deadline)
    assert moved == current_phase(page(client, call.get_absolute_url()))


def test_a_signed_in_visitors_page_shares_nothing_personal(citizen_client, citizen):
    anonymous_client = Client()
    call = CallFactory()
    IdeaFactory(call=call)
    EventFactory(call=call)
    counts_refresh()
    for path in (reverse("ideas:home"), call.get_absolute_url(), reverse("ideas:statistics")):
        signed_in = page(citizen_client, path)
        assert citizen.email in signed_in or reverse("account_logout") in signed_in
        anonymous = page(anonymous_client, path)
        assert citizen.email not in anonymous
        assert reverse("account_logout") not in anonymous
