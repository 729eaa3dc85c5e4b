"""One meaning of an action field's count everywhere: every published idea tagged with the
field. The call pages' tiles (the home page shows the current call's), the list they link
to, the statistics page and the open-data API give the same number for every call and field
of the demo data."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext, override

from ideas.models import Call
from tests.ideas.test_statistics import tables

pytestmark = pytest.mark.django_db


class TileParser(HTMLParser):
    """A page's field tiles: (href, number) of each link in a `field-counts__item`."""

    def __init__(self):
        super().__init__()
        self.tiles: list[tuple[str, int]] = []
        self._href = None
        self._in_number = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "field=" in (attrs.get("href") or ""):
            self._href = attrs["href"]
        elif tag == "span" and attrs.get("class") == "field-counts__number":
            self._in_number = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        elif tag == "span":
            self._in_number = False

    def handle_data(self, data):
        if self._in_number and self._href is not None:
            self.tiles.append((self._href, int(data.strip())))


def home_tiles(client) -> list[tuple[str, int]]:
    """The tiles of every published call, from the calls' pages (the home page shows those
    of the current call)."""
    parser = TileParser()
    for call in Call.objects.published():
        parser.feed(client.get(call.get_absolute_url()).content.decode())
    return parser.tiles


def list_count(client, href: str) -> int:
    """The number the list says it found ("49 Ideen gefunden")."""
    page = client.get(href).content.decode()
    found = re.search(r'result-count" role="status">\s*(\d+) Ideen? gefunden', page)
    assert found, href
    return int(found[1])


def test_home_tiles_agree_with_the_list_the_api_and_the_statistics(client):
    call_command("seed_demo")
    tiles = home_tiles(client)
    calls = list(Call.objects.published())
    assert len(tiles) == 4 * len(calls)  # every field of every published call
    halle = {}
    for href, number in tiles:
        query = parse_qs(urlsplit(href).query)
        call_slug, field_slug = query["call"][0], query["field"][0]
        assert list_count(client, href) == number, href
        api = client.get(reverse("api:idea-list"), {"call": call_slug, "field": field_slug})
        assert api.json()["count"] == number, href
        statistics = tables(client.get(reverse("ideas:statistics"), {"call": call_slug}))
        field = client.get(reverse("api:field-list")).json()["results"]
        name = next(row["name"] for row in field if row["slug"] == field_slug)
        assert statistics["table-fields"][name][0] == str(number), href
        if call_slug == "smart-city-halle-2022":
            halle[field_slug] = number
    # The city's 85 ideas, counted in every field they name (the walk-through's numbers).
    assert halle == {"bildung": 49, "wirtschaft": 21, "mobilitaet": 21, "verwaltung": 23}


def test_the_apis_field_counts_add_the_calls_tiles(client):
    call_command("seed_demo")
    per_field: dict[str, int] = {}
    for href, number in home_tiles(client):
        field_slug = parse_qs(urlsplit(href).query)["field"][0]
        per_field[field_slug] = per_field.get(field_slug, 0) + number
    results = client.get(reverse("api:field-list")).json()["results"]
    assert {row["slug"]: row["idea_count"] for row in results} == per_field
    statistics = tables(client.get(reverse("ideas:statistics")))["table-fields"]
    assert {row["slug"]: int(statistics[row["name"]][0]) for row in results} == per_field


def test_the_pages_say_that_an_idea_counts_in_each_of_its_fields(client):
    call_command("seed_demo")
    with override("de"):
        several = gettext("Ideas can belong to several action fields and count in each of them.")
        statistics_note = gettext(
            "Each idea counts in every action field it is assigned to, as in the list of ideas "
            "filtered by that field. Ideas can belong to several action fields, so the numbers "
            "can add up to more than the total."
        )
        list_note = gettext(
            "Shown are all ideas assigned to this action field, including those also assigned "
            "to others."
        )
    assert several in client.get(reverse("ideas:home")).content.decode()
    halle = reverse("ideas:call-detail", kwargs={"slug": "smart-city-halle-2022"})
    assert several in client.get(halle).content.decode()
    assert statistics_note in client.get(reverse("ideas:statistics")).content.decode()
    listed = client.get(reverse("ideas:idea-list"), {"field": "bildung"}).content.decode()
    assert list_note in listed
    assert list_note not in client.get(reverse("ideas:idea-list")).content.decode()
