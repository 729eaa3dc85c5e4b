"""The call's public face on a phone (issue 20), at 375 px in Chromium: the list's results
first, filtering without a full reload that ends where the form without JavaScript ends,
back and forward; an idea's text before its map; the process on the home page; no page
wider than the screen; axe on every page changed."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CallFactory, IdeaFactory, QuarterFactory

from .conftest import axe_violations, describe, serious

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def ideas(action_fields):
    call = CallFactory(title="Smart City Ideenaufruf", slug="ideenaufruf")
    quarter = QuarterFactory(name="Giebichenstein", code="41")
    made = []
    for number in range(24):
        field = ("bildung", "mobilitaet")[number % 2]
        idea = IdeaFactory(
            call=call,
            title=f"Idee Nummer {number:02d}",
            primary_field=action_fields[field],
            action_fields=[action_fields[field]],
            whole_city=number % 3 == 0,
            latitude="51.49202" if number == 0 else None,
            longitude="11.98434" if number == 0 else None,
        )
        if number % 3:
            idea.quarters.set([quarter])
        made.append(idea)
    return made


@pytest.fixture
def phone_page(browser):
    """A page at 375 px, with or without JavaScript; its context is closed after the test
    (an open one keeps the live server's connections to the database)."""
    contexts = []

    def new(*, javascript=True):
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport=PHONE,
            locale="de-DE",
            extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


def cards(page) -> list[str]:
    return page.locator(".card-list h2").all_inner_texts()


def test_on_a_phone_the_first_result_card_is_on_the_first_screen(phone_page, live_server, ideas):
    page = phone_page()
    page.goto(f"{live_server.url}/ideen/")
    card = page.locator(".card-list > li").first
    expect(card).to_be_visible()
    top = card.evaluate("element => element.getBoundingClientRect().top")
    assert top < PHONE["height"] - 100, top
    expect(page.get_by_text("Filter", exact=False).first).to_be_visible()
    assert not scrolls_sideways(page)
    assert_accessible(page)
    page.locator("summary", has_text="Filter").click()
    expect(page.locator("#id_field")).to_be_visible()
    assert not scrolls_sideways(page)
    assert_accessible(page)


def filter_by_field(page, live_server, slug):
    page.goto(f"{live_server.url}/ideen/")
    page.locator("summary", has_text="Filter").click()
    page.select_option("#id_field", slug)
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(rf"[?&]field={slug}"))


def test_filtering_with_and_without_javascript_gives_the_same_results_and_address(
    phone_page, live_server, ideas
):
    with_js = phone_page()
    with_js.goto(f"{live_server.url}/ideen/")
    # Count loads of whole pages: filtering with JavaScript loads none.
    documents = []
    with_js.on(
        "request",
        lambda request: (
            documents.append(request.url) if request.resource_type == "document" else None
        ),
    )
    with_js.locator("summary", has_text="Filter").click()
    with_js.select_option("#id_field", "bildung")
    expect(with_js.locator("#filter-count")).to_have_text("(1 aktiv)")
    with_js.wait_for_url(re.compile(r"\?field=bildung&sort=newest$"))
    expect(with_js.locator(".filter-chip")).to_have_count(1)
    assert documents == []

    without_js = phone_page(javascript=False)
    filter_by_field(without_js, live_server, "bildung")

    assert with_js.url == without_js.url == f"{live_server.url}/ideen/?field=bildung&sort=newest"
    assert cards(with_js) == cards(without_js)
    assert len(cards(with_js)) == 12
    expect(with_js.locator("#result-count")).to_have_text(
        without_js.locator("#result-count").inner_text()
    )
    assert_accessible(with_js)


def test_back_and_forward_restore_the_filtered_results(phone_page, live_server, ideas):
    page = phone_page()
    page.goto(f"{live_server.url}/ideen/")
    everything = cards(page)
    page.locator("summary", has_text="Filter").click()
    page.select_option("#id_field", "mobilitaet")
    page.wait_for_url(re.compile(r"field=mobilitaet"))
    expect(page.locator("#filter-count")).to_have_text("(1 aktiv)")
    filtered = cards(page)
    assert filtered != everything

    page.go_back()
    page.wait_for_url(f"{live_server.url}/ideen/")
    # Retried until it holds: htmx may still swap the restored page in after the address.
    expect(page.locator(".card-list h2")).to_have_text(everything)
    expect(page.locator("#id_field")).to_have_value("")

    page.go_forward()
    page.wait_for_url(re.compile(r"field=mobilitaet"))
    expect(page.locator(".filter-chip")).to_have_count(1)
    expect(page.locator(".card-list h2")).to_have_text(filtered)
    expect(page.locator("#id_field")).to_have_value("mobilitaet")


def test_a_removed_chip_and_another_page_keep_the_form_and_address_in_step(
    phone_page, live_server, ideas
):
    page = phone_page()
    page.goto(f"{live_server.url}/ideen/?field=bildung&quarter=41")
    expect(page.locator(".filter-chip")).to_have_count(2)
    page.locator(".filter-chip", has_text="Stadtteil").click()
    page.wait_for_url(f"{live_server.url}/ideen/?field=bildung")
    expect(page.locator(".filter-chip")).to_have_count(1)
    expect(page.locator("#filter-count")).to_have_text("(1 aktiv)")
    expect(page.locator("#id_quarter")).to_have_value("")
    expect(page.locator("#id_field")).to_have_value("bildung")

    page.goto(f"{live_server.url}/ideen/")
    page.get_by_role("link", name="Nächste Seite").click()
    page.wait_for_url(f"{live_server.url}/ideen/?page=2")
    expect(page.locator(".card-list > li")).to_have_count(4)


def test_an_ideas_text_comes_before_its_map_and_the_page_fits_a_phone(
    phone_page, live_server, ideas
):
    page = phone_page()
    idea = ideas[0]
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    text = page.locator("[data-idea-text]")
    place = page.locator("[data-idea-location]")
    expect(text).to_contain_text(idea.description[:40])
    text_top = text.evaluate("element => element.getBoundingClientRect().top")
    place_top = place.evaluate("element => element.getBoundingClientRect().top")
    assert text_top < place_top
    expect(place).not_to_contain_text("Breitengrad")
    expect(page.locator(".status-note")).to_contain_text("Wie es weitergeht:")
    assert not scrolls_sideways(page)
    assert_accessible(page)


@pytest.fixture
def demo(action_fields):
    from django.core.management import call_command

    from tests.factories import ensure_role_groups

    # The data migrations' rows (groups, fields) do not survive an earlier test's flush.
    ensure_role_groups()
    call_command("seed_demo", stdout=io.StringIO())


def test_home_shows_where_the_demo_process_stands_and_the_next_event(
    phone_page, live_server, demo
):
    from events.models import Event
    from ideas.models import Call

    page = phone_page()
    page.goto(f"{live_server.url}/")
    demo_call = Call.objects.get(slug="demo-aufruf")
    # The open call and its one action, on the first screen.
    action = page.get_by_role("link", name="Idee einreichen")
    expect(action).to_be_visible()
    assert action.evaluate("e => e.getBoundingClientRect().bottom") < PHONE["height"]
    expect(page.locator(".current-call")).to_contain_text(demo_call.title)
    # The demo call is open: the process stands at the call, the later phases come next.
    here = page.locator(".phases__step[aria-current=step]")
    expect(here).to_have_count(1)
    expect(here).to_contain_text("Ideenaufruf")
    expect(here).to_contain_text("Wir sind hier")
    expect(page.locator(".process__here")).to_have_text("Wir sind hier: Ideenaufruf")
    # The next event is the demo event in two weeks.
    upcoming = Event.objects.public().upcoming(timezone.now()).order_by("starts_at").first()
    first_event = page.locator(".event-teaser").first
    expect(first_event).to_contain_text(upcoming.title)
    expect(page.locator(".card-list .idea-card")).to_have_count(3)
    assert not scrolls_sideways(page)
    assert_accessible(page)

    # The closed call of 2022: its invitation first, then one notice of the extension, and
    # its process dated by the milestones, now being implemented.
    page.goto(f"{live_server.url}/aufrufe/smart-city-halle-2022/")
    invitation = page.locator(".call-invitation")
    deadline = page.locator(".call-deadline")
    assert invitation.evaluate("e => e.getBoundingClientRect().top") < deadline.evaluate(
        "e => e.getBoundingClientRect().top"
    )
    expect(deadline.locator(".extension-note")).to_have_count(1)
    expect(page.locator(".phases__step[aria-current=step]")).to_contain_text("Umsetzung")
    assert not scrolls_sideways(page)
    assert_accessible(page)

    page.goto(f"{live_server.url}/gibt-es-nicht/")
    expect(page.locator("h1")).to_have_text("Seite nicht gefunden")
    expect(page.get_by_role("link", name="Zur Startseite")).to_be_visible()
    assert not scrolls_sideways(page)
    assert_accessible(page)


def test_an_idea_prints_without_navigation_map_or_buttons(phone_page, live_server, ideas):
    page = phone_page()
    page.goto(f"{live_server.url}{ideas[0].get_absolute_url()}")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".share")).to_be_hidden()
    expect(page.locator("[data-map-block]")).to_be_hidden()
    expect(page.locator("[data-idea-text]")).to_be_visible()
    expect(page.locator(".idea-detail__facts")).to_be_visible()
