"""The map's markers for the area shown: single ideas, groups counted on the server at a low
zoom, the list's filters, and a clear answer to a box or zoom it cannot use."""

from decimal import Decimal

import pytest

from ideas.map_data import SINGLE_CAP, SINGLE_LIMIT
from ideas.models import Idea, Status
from tests.factories import IdeaFactory, bulk_located

pytestmark = pytest.mark.django_db

MARKERS_URL = "/ideen/karte/marker/"
HALLE_BOX = "11.8,51.38,12.1,51.55"


def ideas_in(answer: dict) -> int:
    return len(answer["features"]) + sum(cluster["count"] for cluster in answer["clusters"])


def test_at_a_low_zoom_many_ideas_come_in_groups_whose_counts_add_up(client):
    bulk_located(SINGLE_LIMIT + 300)
    answer = client.get(MARKERS_URL, {"bbox": HALLE_BOX, "zoom": "12"}).json()
    assert answer["total"] == SINGLE_LIMIT + 300
    assert answer["clusters"]  # grouped
    assert ideas_in(answer) == SINGLE_LIMIT + 300
    assert len(answer["clusters"]) + len(answer["features"]) < 100
    # Each group sits inside its own extent.
    for cluster in answer["clusters"]:
        (south, west), (north, east) = cluster["bounds"]
        longitude, latitude = cluster["coordinates"]
        assert south <= latitude <= north and west <= longitude <= east


def test_zooming_in_splits_the_groups(client):
    bulk_located(SINGLE_LIMIT + 300)
    low = client.get(MARKERS_URL, {"bbox": HALLE_BOX, "zoom": "12"}).json()
    higher = client.get(MARKERS_URL, {"bbox": HALLE_BOX, "zoom": "14"}).json()
    assert len(higher["clusters"]) + len(higher["features"]) > len(low["clusters"]) + len(
        low["features"]
    )
    assert ideas_in(higher) == SINGLE_LIMIT + 300


def test_only_the_ideas_in_the_box_are_counted(client):
    bulk_located(SINGLE_LIMIT + 300)
    # The western half of the square: longitudes 11.92 to 11.968.
    answer = client.get(MARKERS_URL, {"bbox": "11.9,51.4,11.9685,51.6", "zoom": "12"}).json()
    inside = Idea.objects.filter(longitude__lte=Decimal("11.9685")).count()
    assert 0 < inside < SINGLE_LIMIT + 300
    assert answer["total"] == inside
    assert ideas_in(answer) == inside


def test_groups_respect_the_lists_filters(client):
    bulk_located(SINGLE_LIMIT + 100, field_slug="bildung")
    bulk_located(SINGLE_LIMIT + 50, field_slug="mobilitaet", start=5000)
    answer = client.get(
        MARKERS_URL, {"bbox": HALLE_BOX, "zoom": "12", "field": "mobilitaet"}
    ).json()
    assert answer["total"] == SINGLE_LIMIT + 50
    assert ideas_in(answer) == SINGLE_LIMIT + 50


def test_at_street_level_the_newest_are_single_markers_and_capped(client):
    bulk_located(SINGLE_CAP + 20)
    answer = client.get(MARKERS_URL, {"bbox": HALLE_BOX, "zoom": "17"}).json()
    assert answer["clusters"] == []
    assert len(answer["features"]) == SINGLE_CAP
    assert answer["capped"] is True
    titles = {feature["properties"]["title"] for feature in answer["features"]}
    assert "Idee 00000" in titles and f"Idee {SINGLE_CAP:05d}" not in titles


@pytest.mark.parametrize(
    ("zoom", "count", "shown"),
    [
        ("12", 20, 20),
        ("12", SINGLE_LIMIT + 300, SINGLE_LIMIT + 300),
        ("17", 20, 20),
        ("17", SINGLE_CAP + 20, SINGLE_CAP),
    ],
)
def test_markers_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, zoom, count, shown
):
    bulk_located(count)
    # the field filter's choice, the count, the groups, the single ideas and their quarters
    with django_assert_max_num_queries(5):
        response = client.get(MARKERS_URL, {"bbox": HALLE_BOX, "zoom": zoom, "field": "bildung"})
    assert response.status_code == 200
    assert ideas_in(response.json()) == shown


def test_one_idea_by_its_number_for_a_link_from_its_page(client):
    idea = IdeaFactory(title="Mit Ort", latitude=Decimal("51.4828"), longitude=Decimal("11.9697"))
    draft = IdeaFactory(
        title="Entwurf",
        status=Status.DRAFT,
        submitted_at=None,
        reference=None,
        latitude=Decimal("51.4828"),
        longitude=Decimal("11.9697"),
    )
    (feature,) = client.get(MARKERS_URL, {"idee": str(idea.pk)}).json()["features"]
    assert feature["id"] == idea.pk
    assert feature["geometry"]["coordinates"] == [11.9697, 51.4828]
    assert client.get(MARKERS_URL, {"idee": str(draft.pk)}).json()["features"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"zoom": "12"}, "The parameter bbox is missing"),
        ({"bbox": "11.8,51.4,12.1", "zoom": "12"}, "must be four numbers"),
        ({"bbox": "a,b,c,d", "zoom": "12"}, "must be four numbers"),
        ({"bbox": "11.8,51.4,12.1,nan", "zoom": "12"}, "must be four numbers"),
        ({"bbox": "12.1,51.4,11.8,51.5", "zoom": "12"}, "must have west < east"),
        ({"bbox": "11.8,51.4,12.1,91", "zoom": "12"}, "must have west < east"),
        ({"bbox": HALLE_BOX}, "zoom must be a whole number from 0 to 22"),
        ({"bbox": HALLE_BOX, "zoom": "99"}, "zoom must be a whole number from 0 to 22"),
        ({"bbox": HALLE_BOX, "zoom": "1.5"}, "zoom must be a whole number from 0 to 22"),
        ({"idee": "-1"}, "The parameter idee must be the number of an idea."),
    ],
)
def test_a_bad_box_or_zoom_is_answered_with_400_and_the_reason(client, params, message):
    response = client.get(MARKERS_URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.json()["error"]
