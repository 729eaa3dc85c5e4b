"""The Content Security Policy holds in a real browser: every page a citizen, an editor and the
board open works without a single violation (the policy allows no inline script and no host
but our own, the consented map tiles aside)."""

import re

import pytest
from playwright.sync_api import expect

from ideas.models import Status
from tests.factories import CallFactory, IdeaFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_pages_run_without_a_policy_violation(page, live_server, action_fields):
    call = CallFactory(slug="offen", title="Offener Aufruf")
    idea = IdeaFactory(
        call=call,
        primary_field=action_fields["bildung"],
        action_fields=[action_fields["bildung"]],
        status=Status.SUBMITTED,
        latitude="51.482800",
        longitude="11.969700",
    )
    page.add_init_script(WATCH)
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    pages = [
        "/",
        "/ideen/",
        "/ideen/karte/",
        idea.get_absolute_url(),
        "/statistik/",
        "/veranstaltungen/",
        "/datenschutz/",
        "/konto/login/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path

    # The map after consent: tiles from the configured host are allowed. The browser asking
    # for a tile proves it: a request the policy blocks never reaches the network.
    page.goto(live_server.url + "/ideen/karte/")
    with page.expect_request(re.compile(r"^https://tile\.openstreetmap\.org/")):
        page.get_by_role(
            "button", name="Karte mit Kartenkacheln von tile.openstreetmap.org laden"
        ).click()
    expect(page.locator("#idea-map img.leaflet-tile").first).to_be_attached()
    assert violations(page) == []

    # The idea form with its location picker, and the admin, signed in.
    log_in(page, live_server, UserFactory())
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    page.locator("#location-map").click()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    assert violations(page) == []

    log_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))
    for path in [
        "/verwaltung/",
        "/verwaltung/ideas/idea/",
        f"/verwaltung/ideas/idea/{idea.pk}/change/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
