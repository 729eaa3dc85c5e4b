"""The map of ideas without tiles: nearby markers are grouped (Leaflet.markercluster) and the
quarters' names are written on it, so that it is more than a grey field of pins."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import CallFactory, IdeaFactory, QuarterFactory

from .conftest import axe_violations, describe, serious
from .test_map import ideas_on_map

pytestmark = pytest.mark.django_db(transaction=True)

# Six ideas a few dozen metres apart around the market square, two far out.
NEAR = [(Decimal("51.4828") + Decimal("0.0003") * n, Decimal("11.9697")) for n in range(6)]
FAR = [(Decimal("51.5300"), Decimal("11.9000")), (Decimal("51.4200"), Decimal("12.0500"))]


@pytest.fixture
def placed(action_fields, settings, tmp_path):
    settings.MITMACHEN_MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    settings.MITMACHEN_QUARTER_BOUNDARIES = tmp_path / "none.geojson"  # no outlines
    altstadt = QuarterFactory(name="Altstadt")
    heide = QuarterFactory(name="Heide-Nord")
    call = CallFactory()
    ideas = []
    for number, (latitude, longitude) in enumerate(NEAR + FAR):
        idea = IdeaFactory(
            call=call,
            title=f"Idee {number}",
            primary_field=action_fields["bildung"],
            latitude=latitude,
            longitude=longitude,
        )
        idea.quarters.set([altstadt if (latitude, longitude) in NEAR else heide])
        ideas.append(idea)
    return ideas


def test_nearby_ideas_are_grouped_and_a_group_opens_by_keyboard(page, live_server, placed):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto("/ideen/karte/")
    icons = page.locator("#idea-map .leaflet-marker-icon")
    group = page.get_by_role("button", name="6 Ideen hier: auswählen zum Vergrößern")
    expect(group).to_have_count(1)  # after the zoom's animation
    expect(group).to_be_visible()
    # Fewer markers than ideas at the start, and every idea in one of them.
    assert icons.count() < len(placed)
    assert ideas_on_map(page) == len(placed)
    assert describe(serious(axe_violations(page))) == ""

    group.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Idee 0")).to_be_visible()
    assert ideas_on_map(page) >= 6


def test_without_tiles_the_map_names_the_quarters(page, live_server, placed):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto("/ideen/karte/")
    labels = page.locator("#idea-map .quarter-label")
    expect(labels).to_have_count(2)
    altstadt = labels.filter(has_text="Altstadt")
    expect(labels.filter(has_text="Heide-Nord")).to_be_visible()
    # Written where the quarter's ideas are: Altstadt's name by the market square's group.
    group = page.get_by_role("button", name="6 Ideen hier: auswählen zum Vergrößern")
    expect(group).to_have_count(1)  # after the zoom's animation
    label_box, group_box = altstadt.bounding_box(), group.bounding_box()
    assert abs(label_box["y"] - group_box["y"]) < 60
    assert abs(label_box["x"] - group_box["x"]) < 120

    # With the tiles' own place names the labels go, and come back without them.
    page.get_by_role(
        "button", name="Karte mit Kartenkacheln von tile.openstreetmap.org laden"
    ).click()
    expect(labels).to_have_count(0)
    page.get_by_role(
        "button", name="Kartenkacheln von tile.openstreetmap.org nicht mehr laden"
    ).click()
    expect(labels).to_have_count(2)
