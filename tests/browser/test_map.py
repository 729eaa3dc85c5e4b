"""The map of ideas in Chromium: nothing from another host without consent, markers, the
location picker in the idea form, and axe-core on both pages."""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from demo.management.commands.seed_demo import Command as SeedDemo
from halle_smartcity.city import map_settings
from ideas.models import Idea
from tests.factories import CallFactory, IdeaFactory, QuarterFactory, UserFactory

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fake-quarter-boundaries.geojson"
TILE_HOST = "tile.openstreetmap.org"


@pytest.fixture
def demo_ideas(action_fields, settings):
    """Ideas placed by the demo data's own method (seed_demo's _idea_locations), and the fake
    boundaries of two quarters."""
    settings.MITMACHEN_QUARTER_BOUNDARIES = FIXTURE
    QuarterFactory(code="F01", name="Fake-Nord")
    QuarterFactory(code="F02", name="Fake-Süd")
    call = CallFactory(title="Demo-Aufruf")
    for number in range(12):
        IdeaFactory(
            call=call,
            title=f"Demo-Idee {number}",
            reference=f"SC-2022-{number + 1:04d}",
            primary_field=action_fields["bildung"],
            action_fields=[action_fields["bildung"]],
        )
    SeedDemo(stdout=io.StringIO())._idea_locations(call)
    return list(Idea.objects.filter(latitude__isnull=False))


# True once the map has come to rest on the first quarter outline (F01): no zoom or pan in
# progress, the map's centre inside the outline, the outline wider or taller than half the
# map (as fitBounds leaves it; before, it is a small box south of the centre).
OUTLINE_FILLS_THE_MAP = """(selector) => {
  const map = document.querySelector(selector);
  const outline = map.querySelector(".leaflet-overlay-pane path");
  if (!outline || map.querySelector(".leaflet-zoom-anim, .leaflet-pan-anim")) {
    return false;
  }
  const box = outline.getBoundingClientRect();
  const frame = map.getBoundingClientRect();
  const x = frame.left + frame.width / 2;
  const y = frame.top + frame.height / 2;
  return box.left < x && x < box.right && box.top < y && y < box.bottom
    && (box.width > frame.width / 2 || box.height > frame.height / 2);
}"""


def record_requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def ideas_on_map(page) -> int:
    """The ideas the map of ideas shows: single markers and the ideas in each group
    (Leaflet.markercluster)."""
    return page.evaluate(
        """[...document.querySelectorAll('#idea-map .leaflet-marker-icon')].reduce(
            (sum, icon) => sum + Number(
                icon.querySelector('[data-cluster-count]')?.dataset.clusterCount || 1
            ), 0)"""
    )


def foreign(urls: list[str], live_server) -> list[str]:
    own = urlsplit(live_server.url).netloc
    return [
        url
        for url in urls
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own
    ]


def test_map_loads_nothing_from_another_host_until_the_visitor_agrees(
    page, live_server, demo_ideas
):
    assert len(demo_ideas) >= 6
    urls = record_requests(page)
    tile_requests: list[str] = []
    page.route(
        f"https://{TILE_HOST}/**",
        lambda route: (tile_requests.append(route.request.url), route.abort()),
    )
    page.goto(f"{live_server.url}/ideen/karte/")
    markers = page.locator("#idea-map .leaflet-marker-icon:not(.marker-cluster)")
    expect(markers.first).to_be_visible()
    assert ideas_on_map(page) == len(demo_ideas)
    # The fake quarter outlines are drawn from our own endpoint.
    expect(page.locator("#idea-map .leaflet-overlay-pane path")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    assert foreign(urls, live_server) == []
    assert tile_requests == []

    consent = page.get_by_role("button", name=f"Karte mit Kartenkacheln von {TILE_HOST} laden")
    expect(consent).to_be_visible()
    expect(
        page.get_by_text(f"Beim Laden erfährt {TILE_HOST} Ihre IP-Adresse, die Adresse")
    ).to_be_visible()

    # Markers are reachable by keyboard and open a popup with the idea's public data.
    first = markers.first
    first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Bildung")
    expect(popup.locator("a")).to_have_attribute("href", re.compile(r"^/ideen/\d+/$"))

    tile = re.compile(rf"^https://{re.escape(TILE_HOST)}/")
    with page.expect_request(tile):  # after consent the tiles are requested
        consent.click()
    expect(
        page.get_by_role("button", name=f"Kartenkacheln von {TILE_HOST} nicht mehr laden")
    ).to_be_focused()
    # The choice is remembered: the next visit loads tiles at once.
    with page.expect_request(tile):
        page.reload()
    expect(markers.first).to_be_visible()
    assert ideas_on_map(page) == len(demo_ideas)
    expect(consent).to_be_hidden()


def test_map_without_tiles_setting_shows_markers_and_no_consent(
    page, live_server, demo_ideas, settings
):
    settings.MITMACHEN_MAP_TILE_URL = ""
    urls = record_requests(page)
    page.goto(f"{live_server.url}/ideen/karte/")
    expect(page.locator("#idea-map .leaflet-marker-icon").first).to_be_visible()
    assert ideas_on_map(page) == len(demo_ideas)
    expect(page.locator("[data-map-consent]")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert foreign(urls, live_server) == []


def test_detail_page_map_loads_nothing_from_another_host(page, live_server, demo_ideas):
    urls = record_requests(page)
    page.goto(f"{live_server.url}{demo_ideas[0].get_absolute_url()}")
    expect(page.locator("#idea-location-map .leaflet-marker-icon")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert foreign(urls, live_server) == []


def test_clicking_on_the_form_map_fills_latitude_and_longitude(
    page, live_server, demo_ideas, settings
):
    citizen = UserFactory()
    call = CallFactory(slug="offen")
    log_in(page, live_server, citizen)
    urls = record_requests(page)
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    expect(latitude).to_have_value("")
    page.locator("#location-map").click()
    expect(latitude).not_to_have_value("")
    lat, lon = float(latitude.input_value()), float(longitude.input_value())
    west, south, east, north = map_settings()["bounds"]
    assert south < lat < north and west < lon < east
    expect(page.locator("#location-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("[data-location-status]")).to_contain_text("Ort gesetzt")

    # Choosing a quarter centres the map on its (fake) outline; a click there lands inside.
    page.get_by_label("Stadtteil auf der Karte finden").select_option("F01")
    page.wait_for_function(OUTLINE_FILLS_THE_MAP, arg="#location-map", timeout=10_000)
    page.locator("#location-map").click()
    lat, lon = float(latitude.input_value()), float(longitude.input_value())
    assert 51.49 < lat < 51.51 and 11.95 < lon < 11.99

    page.get_by_role("button", name="Ort entfernen").click()
    expect(latitude).to_have_value("")
    expect(longitude).to_have_value("")
    expect(page.locator("#location-map .leaflet-marker-icon")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert foreign(urls, live_server) == []


def test_map_page_and_form_with_map_have_no_serious_violations(page, live_server, demo_ideas):
    page.goto(f"{live_server.url}/ideen/karte/")
    expect(page.locator("#idea-map .leaflet-marker-icon").first).to_be_visible()
    page.locator("details.map-list__group").first.evaluate("d => d.open = true")
    problems = serious(axe_violations(page))
    assert not problems, describe(problems)

    citizen = UserFactory()
    call = CallFactory(slug="offen")
    log_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    page.locator("#location-map").click()
    expect(page.locator("#location-map .leaflet-marker-icon")).to_have_count(1)
    problems = serious(axe_violations(page))
    assert not problems, describe(problems)

    page.goto(f"{live_server.url}{demo_ideas[0].get_absolute_url()}")
    expect(page.locator("#idea-location-map .leaflet-marker-icon")).to_have_count(1)
    problems = serious(axe_violations(page))
    assert not problems, describe(problems)
