"""The public statistics page in a real Chromium: axe-core (WCAG 2.2 A/AA) with every table
opened, on a desktop and on a phone, and charts that fit a small screen."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ideas.models import CallExtension, Channel, Status
from tests.factories import CallFactory, IdeaFactory

from .conftest import axe_violations, describe, serious

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 (Reflow)


@pytest.fixture
def call(action_fields, quarters):
    """An extended call with ideas in every field, several channels, statuses and quarters."""
    call = CallFactory(
        title="Smart City Ideenaufruf 2024",
        slug="smart-city-2024",
        opens_at=datetime(2024, 3, 1, tzinfo=BERLIN),
        closes_at=datetime(2024, 3, 20, 23, 59, tzinfo=BERLIN),
        deadline=datetime(2024, 4, 5, 23, 59, tzinfo=BERLIN),
    )
    CallExtension.objects.create(
        call=call,
        old_deadline=call.closes_at,
        new_deadline=call.deadline,
        reason="Mehr Zeit für Schulen.",
        created_at=datetime(2024, 3, 18, 10, tzinfo=BERLIN),
    )
    slugs = ["bildung", "bildung", "wirtschaft", "mobilitaet", "verwaltung", "bildung"]
    channels = [Channel.ONLINE, Channel.PAPER, Channel.ONLINE, Channel.EVENT, Channel.POST]
    statuses = [Status.SUBMITTED, Status.SCREENED, Status.QUALIFIED]
    for number, slug in enumerate(slugs * 3):
        idea = IdeaFactory(
            call=call,
            primary_field=action_fields[slug],
            channel=channels[number % len(channels)],
            status=statuses[number % len(statuses)],
            whole_city=number % 3 == 0,
            submitted_at=datetime(2024, 3, 1, 21, tzinfo=BERLIN) + timedelta(days=2 * number),
        )
        if number % 3:
            idea.quarters.set(quarters[: number % 2 + 1])
    return call


def assert_accessible(page):
    # Open every table so that axe checks them too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


@pytest.mark.parametrize("viewport", [None, PHONE, NARROW], ids=["desktop", "phone", "320px"])
@pytest.mark.parametrize("query", ["", "?call=smart-city-2024"], ids=["all", "one-call"])
def test_statistics_page_has_no_serious_axe_violations(page, live_server, call, viewport, query):
    if viewport:
        page.set_viewport_size(viewport)
    response = page.goto(f"/statistik/{query}")
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("svg[role=img]")).to_have_count(5)
    expect(page.locator("#table-fields")).to_contain_text("Bildung")
    assert_accessible(page)
    if viewport:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page is {width}px wide on a phone"
        # The charts scale with the screen: no chart is wider than the page.
        widths = page.locator("svg[role=img]").evaluate_all(
            "svgs => svgs.map(svg => svg.getBoundingClientRect().width)"
        )
        assert all(0 < w <= viewport["width"] for w in widths)


def test_the_call_can_be_switched_with_the_form(page, live_server, call):
    page.goto("/statistik/")
    page.select_option("#stat-call", call.slug)
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(f"{live_server.url}/statistik/?call={call.slug}")
    expect(page.locator(".kern-subline")).to_have_text(call.title)
    expect(page.locator("#chart-over-time-summary")).to_contain_text("Verlängerte Frist")


def test_unknown_call_page_is_accessible(page, live_server, call):
    response = page.goto("/statistik/?call=gibt-es-nicht")
    assert response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("keinen veröffentlichten Aufruf")
    assert_accessible(page)
