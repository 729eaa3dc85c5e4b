"""The map of ideas with many ideas: the page carries no markers, the map asks the server for
the area it shows, gets groups counted on the server at a low zoom, and asks again when the
visitor zooms in; a link from an idea's page opens its marker."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from ideas.map_data import SINGLE_LIMIT
from tests.ideas.test_map_markers import bulk_located

from .test_map import foreign, record_requests

pytestmark = pytest.mark.django_db(transaction=True)

MANY = SINGLE_LIMIT + 300
EVERY_IDEA_ON_THE_MAP = """(total) => [...document.querySelectorAll(
    '#idea-map .leaflet-marker-icon')].reduce((sum, icon) => sum + Number(
    icon.querySelector('[data-cluster-count]')?.dataset.clusterCount || 1), 0) === total"""


def zooms_asked(urls: list[str]) -> list[int]:
    return [
        int(parse_qs(urlsplit(url).query)["zoom"][0])
        for url in urls
        if urlsplit(url).path == "/ideen/karte/marker/" and "zoom=" in url
    ]


def test_many_ideas_come_in_groups_from_the_server_and_a_group_opens_by_keyboard(
    page, live_server
):
    bulk_located(MANY)
    urls = record_requests(page)
    page.goto(f"{live_server.url}/ideen/karte/")
    page.wait_for_function(EVERY_IDEA_ON_THE_MAP, arg=MANY, timeout=10_000)
    # Far fewer markers than ideas, among them groups counted on the server.
    assert page.locator("#idea-map .leaflet-marker-icon").count() < 100
    server_groups = page.locator("#idea-map .map-group")
    expect(server_groups.first).to_be_visible()
    (first_zoom,) = zooms_asked(urls)

    group = server_groups.filter(has_text=re.compile(r"\d+ Ideen hier: auswählen")).first
    group.focus()
    page.keyboard.press("Enter")
    # Zoomed in, the map asks for the smaller area at the new zoom.
    page.wait_for_function(
        "(zoom) => performance.getEntriesByType('resource').some("
        "(entry) => /\\/ideen\\/karte\\/marker\\/.*zoom=(\\d+)/.test(entry.name)"
        " && Number(/zoom=(\\d+)/.exec(entry.name)[1]) > zoom)",
        arg=first_zoom,
        timeout=10_000,
    )
    expect(page.locator("#idea-map .leaflet-marker-icon").first).to_be_visible()
    assert max(zooms_asked(urls)) > first_zoom
    page.wait_for_load_state("networkidle")
    assert foreign(urls, live_server) == []


def test_a_link_from_an_ideas_page_opens_its_marker_among_many(page, live_server):
    ideas = bulk_located(MANY)
    wanted = ideas[450]
    page.goto(f"{live_server.url}/ideen/karte/#idee-{wanted.pk}")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(wanted.title)
    expect(popup.locator("a")).to_have_attribute("href", f"/ideen/{wanted.pk}/")
