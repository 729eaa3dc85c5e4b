"""Events in a real browser: a citizen finds the next event, registers without an account,
confirms the address, gets the mail with the calendar file, cancels, and the first person on
the waiting list moves up and is told. And axe-core on every event page."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services
from events.models import Registration, RegistrationStatus
from tests.events.factories import SECRET_LINK, EventFactory, MilestoneFactory, PublicationFactory
from tests.factories import UserFactory

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "erika.besucherin@example.org"
MANAGE_LINK = re.compile(r"https?://\S+/anmeldungen/[\w-]+/")


def mails_to(outbox, address):
    return [message for message in outbox if address in message.to]


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


def test_citizen_registers_cancels_and_the_waiting_list_moves_up(
    page, live_server, mailoutbox, action_fields, settings
):
    settings.MITMACHEN_SITE_URL = live_server.url
    start = timezone.now() + timedelta(days=5)
    later = EventFactory(
        title="Zweiter Termin",
        starts_at=start + timedelta(days=30),
        ends_at=start + timedelta(days=30, hours=2),
    )
    event = EventFactory(
        title="Design-Sprint Mobilität",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=1,
    )
    event.action_fields.set([action_fields["mobilitaet"]])

    # The next event is the first card of the list.
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Veranstaltungen und Zeitleiste"
    ).click()
    page.wait_for_url(re.compile(r"/veranstaltungen/$"))
    cards = page.locator(".card-list .event-card h2")
    expect(cards).to_have_count(2)
    expect(cards.first).to_have_text(event.title)
    assert later.title in page.locator(".card-list").inner_text()
    cards.first.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/veranstaltungen/{event.slug}/$"))
    expect(page.locator("h1")).to_have_text(event.title)
    assert SECRET_LINK not in page.content()

    # Register with name and address; the address is confirmed through the mailed link.
    page.fill("#id_name", "Erika Besucherin")
    page.fill("#id_email", EMAIL)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(".messages")).to_contain_text("Bitte sehen Sie in Ihr Postfach")
    [confirm_mail] = mails_to(mailoutbox, EMAIL)
    assert event.title in confirm_mail.subject
    link = MANAGE_LINK.search(confirm_mail.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(page.locator(".messages")).to_contain_text("Ihr Platz ist bestätigt")
    expect(page.locator("main")).to_contain_text(SECRET_LINK)  # the online link, now

    # The confirmation carries the calendar file.
    placed = mails_to(mailoutbox, EMAIL)[-1]
    assert "bestätigt" in placed.subject
    [(filename, content, _mimetype)] = placed.attachments
    assert filename == f"{event.slug}.ics"
    [component] = icalendar.Calendar.from_ical(content).events
    assert str(component["UID"]) == str(event.uid)
    assert component["DTSTART"].dt == event.starts_at.replace(microsecond=0)

    # Somebody else is now on the waiting list.
    waiting_user = UserFactory(display_name="Wartende Person")
    waiting = services.registration_request(event=event, name="Wartende Person", user=waiting_user)
    assert waiting.status == RegistrationStatus.WAITLISTED

    # Cancel through the link in the mail.
    page.goto(MANAGE_LINK.search(placed.body).group(0))
    page.get_by_role("button", name="Anmeldung stornieren").click()
    expect(page.locator(".messages")).to_contain_text("Ihre Anmeldung wurde storniert.")
    mine = Registration.objects.get(email=EMAIL)
    assert mine.status == RegistrationStatus.CANCELLED

    # The first person on the waiting list moved up and was told, with the calendar file.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    moved = [m for m in mails_to(mailoutbox, waiting_user.email) if "frei geworden" in m.subject]
    assert len(moved) == 1
    assert moved[0].attachments[0][0] == f"{event.slug}.ics"

    # The event page shows the place to the person who moved up, with the online link.
    log_in(page, live_server, waiting_user)
    page.goto(event.get_absolute_url())
    expect(page.locator("#registration")).to_contain_text("Sie haben einen Platz")
    expect(page.locator("main")).to_contain_text(SECRET_LINK)
    # ... and cancelling there works as well.
    page.get_by_role("button", name="Meine Anmeldung stornieren").click()
    expect(page.locator(".messages")).to_contain_text("Ihre Anmeldung wurde storniert.")
    expect(page.locator("main")).not_to_contain_text(SECRET_LINK)


@pytest.fixture
def event_site(action_fields):
    now = timezone.now()
    upcoming = EventFactory(title="Infoabend Smart City", capacity=1)
    upcoming.action_fields.set([action_fields["bildung"], action_fields["verwaltung"]])
    full = EventFactory(title="Ausgebuchter Workshop", capacity=1, kind="creative_workshop")
    services.registration_request(event=full, name="Erste", user=UserFactory())
    past = EventFactory(
        title="Kreativwerkstatt",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=40) + timedelta(hours=6),
    )
    cancelled = EventFactory(title="Abgesagtes Forum", kind="forum")
    services.event_cancel(event=cancelled, reason="Der Saal ist nicht verfügbar.")
    holder = UserFactory(display_name="Platzinhaberin")
    registration = services.registration_request(event=upcoming, name="P", user=holder)
    MilestoneFactory(
        title="Start der Strategiephase",
        starts_on=(now - timedelta(days=400)).date(),
        precision="month",
    )
    MilestoneFactory(
        title="Projektideenaufruf",
        starts_on=(now - timedelta(days=10)).date(),
        ends_on=(now + timedelta(days=10)).date(),
        event=upcoming,
    )
    MilestoneFactory(title="Ratsbeschluss", starts_on=(now + timedelta(days=90)).date())
    PublicationFactory.create_batch(3)
    return {
        "upcoming": upcoming,
        "past": past,
        "cancelled": cancelled,
        "holder": holder,
        "registration": registration,
    }


EVENT_PAGES = {
    "list": lambda site: "/veranstaltungen/",
    "list-filtered": lambda site: (
        "/veranstaltungen/?kind=info_session&format=hybrid&field=bildung"
    ),
    "list-empty": lambda site: "/veranstaltungen/?kind=forum&format=online",
    "past": lambda site: "/veranstaltungen/vergangene/",
    "detail": lambda site: site["upcoming"].get_absolute_url(),
    "detail-past": lambda site: site["past"].get_absolute_url(),
    "detail-cancelled": lambda site: site["cancelled"].get_absolute_url(),
    "manage": lambda site: site["registration"].get_absolute_url(),
    "invalid-link": lambda site: "/anmeldungen/erfunden/",
    "timeline": lambda site: "/zeitleiste/",
    "press": lambda site: "/presse/",
}


@pytest.mark.parametrize("name", EVENT_PAGES)
def test_event_page_has_no_serious_axe_violations(page, live_server, event_site, name):
    response = page.goto(EVENT_PAGES[name](event_site))
    assert response.status == (404 if name == "invalid-link" else 200)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_event_page_for_a_participant_has_no_serious_axe_violations(page, live_server, event_site):
    log_in(page, live_server, event_site["holder"])
    page.goto(event_site["upcoming"].get_absolute_url())
    expect(page.locator("main")).to_contain_text(SECRET_LINK)
    assert_accessible(page)


def test_registration_form_with_errors_has_no_serious_axe_violations(
    page, live_server, event_site
):
    page.goto(EVENT_PAGES["list"](event_site))
    page.get_by_role("link", name="Ausgebuchter Workshop").click()
    page.fill("#id_name", "Erika")
    page.fill("#id_email", "keine-adresse")
    page.get_by_role("button", name="Auf die Warteliste setzen").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


@pytest.mark.parametrize("name", ["list", "detail", "timeline", "press"])
def test_event_pages_fit_a_320px_screen(page, live_server, event_site, name):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(EVENT_PAGES[name](event_site))
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is wider than the screen: {widths}"
