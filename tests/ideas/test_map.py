"""The map of ideas, the quarters' boundaries, and the location in the idea forms."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fields import boundaries
from ideas.models import Idea, Status
from tests.factories import (
    CallFactory,
    DraftFactory,
    IdeaFactory,
    QuarterFactory,
    UserFactory,
    bulk_located,
    idea_form_data,
)
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fake-quarter-boundaries.geojson"
MAP_URL = "/ideen/karte/"
MARKERS_URL = "/ideen/karte/marker/"
# Halle and its surroundings, at a zoom of a few streets: single markers, never groups.
HALLE = {"bbox": "11.8,51.38,12.1,51.55", "zoom": "17"}


def located(**kwargs) -> Idea:
    kwargs.setdefault("latitude", Decimal("51.482800"))
    kwargs.setdefault("longitude", Decimal("11.969700"))
    return IdeaFactory(**kwargs)


def markers(client, **params) -> list[dict]:
    """The single markers the map's endpoint gives for Halle (with the list's filters)."""
    response = client.get(MARKERS_URL, {**HALLE, **params})
    assert response.status_code == 200
    assert response.json()["clusters"] == []
    return response.json()["features"]


def marker_titles(client, **params) -> set[str]:
    return {feature["properties"]["title"] for feature in markers(client, **params)}


@pytest.fixture(autouse=True)
def _no_boundaries(settings, tmp_path):
    settings.MITMACHEN_QUARTER_BOUNDARIES = tmp_path / "missing.geojson"


# --- The map page -------------------------------------------------------------------------


def test_map_url_is_named_and_public(client):
    assert reverse("ideas:idea-map") == MAP_URL
    assert client.get(MAP_URL).status_code == 200


def test_main_navigation_marks_all_ideas_as_the_current_section(client):
    html = client.get(reverse("ideas:idea-map")).content.decode()
    link = f'href="{reverse("ideas:idea-list")}" aria-current="true"'
    assert link in html


def test_map_shows_only_published_ideas_with_a_location(client):
    located(title="Mit Ort")
    IdeaFactory(title="Ohne Ort")
    located(title="Entwurf mit Ort", status=Status.DRAFT, submitted_at=None, reference=None)
    assert marker_titles(client) == {"Mit Ort"}
    page = client.get(MAP_URL).content.decode()
    assert "Ohne Ort" not in page and "Entwurf mit Ort" not in page
    (feature,) = markers(client)
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.9697, 51.4828]}


def test_map_respects_the_lists_filters(client):
    north, south = QuarterFactory(code="F01"), QuarterFactory(code="F02")
    a = located(title="Bildung Nord", primary_field=field("bildung"), whole_city=False)
    a.action_fields.set([field("bildung")])
    a.quarters.set([north])
    b = located(title="Mobilität Süd", primary_field=field("mobilitaet"), whole_city=False)
    b.action_fields.set([field("mobilitaet")])
    b.quarters.set([south])
    assert marker_titles(client, field="bildung") == {"Bildung Nord"}
    assert marker_titles(client, quarter="F02") == {"Mobilität Süd"}
    assert marker_titles(client, q="Süd") == {"Mobilität Süd"}
    # The page hands its filters to the map's script, which passes them to the endpoint.
    response = client.get(MAP_URL, {"quarter": "F02", "sort": "title", "page": "3"})
    assert response.context["map_data"]["filters"] == {"quarter": "F02"}


def test_map_ignores_filters_it_does_not_understand(client):
    located(title="Mit Ort")
    response = client.get(MAP_URL, {"field": "gibt-es-nicht", "q": "x" * 500})
    assert response.status_code == 200
    assert marker_titles(client, field="gibt-es-nicht") == {"Mit Ort"}


def test_list_by_quarter_works_without_javascript(client):
    quarter = QuarterFactory(name="Giebichenstein")
    idea = located(title="Am Fluss", whole_city=False)
    idea.quarters.set([quarter])
    located(title="Überall")
    page = client.get(MAP_URL).content.decode()
    assert "Giebichenstein (1)" in page
    assert f'href="{idea.get_absolute_url()}"' in page
    assert "Ganze Stadt oder kein Stadtteil angegeben (1)" in page


def test_geojson_carries_no_personal_data(client):
    author = UserFactory(display_name="Erika Mustermann", email="erika@example.org")
    located(
        title="Öffentlich",
        author=author,
        submitter_name="Max Geheim",
        submitter_email="max@example.org",
        submitter_phone="0345 123456",
        submitter_address="Geheimweg 1",
    )
    response = client.get(MARKERS_URL, HALLE)
    (feature,) = response.json()["features"]
    assert set(feature["properties"]) == {
        "title",
        "reference",
        "url",
        "field",
        "status",
        "quarters",
    }
    text = response.content.decode()
    for secret in ("Erika", "erika@", "Max Geheim", "max@", "0345", "Geheimweg"):
        assert secret not in text
    page = client.get(MAP_URL).content.decode()
    for secret in ("Erika", "erika@", "Max Geheim", "max@", "0345", "Geheimweg"):
        assert secret not in page


@pytest.mark.parametrize("count", [20, 2000])
def test_map_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_located(count)
    # the field asked for, the overview (count and box; the quarters' counts), the quarters,
    # the newest ideas and their quarters, and the filter's choices (calls, fields, quarters)
    with django_assert_max_num_queries(9):
        response = client.get(MAP_URL, {"field": "bildung"})
    assert response.status_code == 200
    assert response.context["total"] == count


def test_map_page_stays_small_with_many_ideas(client):
    bulk_located(3000)
    response = client.get(MAP_URL)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    page = response.content.decode()
    assert "3000 Ideen mit Ort" in page
    # The list by quarter names the quarter's full count and the newest ideas only.
    assert re.search(r"Stadtteil \d+ \(3000\)", page)
    assert "Idee 00000" in page and "Idee 00099" in page and "Idee 00100" not in page
    assert "idea-map-markers" not in page and "SC-M-02999" not in page


def test_map_page_is_cached_for_anonymous_visitors(client, django_assert_max_num_queries):
    located(title="Mit Ort")
    client.get(MAP_URL)
    with django_assert_max_num_queries(0):
        assert client.get(MAP_URL).status_code == 200


def test_map_loads_nothing_from_another_host_by_itself(client):
    page = client.get(MAP_URL).content.decode()
    # The tile host is named (for the consent button) but nothing is loaded from it.
    assert "tile.openstreetmap.org" in page
    assert "Karte mit Kartenkacheln von tile.openstreetmap.org laden" in page
    for tag in ('src="http', "src='http", 'href="http'):
        assert tag not in page.replace('href="https://www.openstreetmap.org/copyright', "")


def test_list_and_map_link_each_other_with_the_filters(client):
    located(title="Mit Ort")
    page = client.get(reverse("ideas:idea-list"), {"q": "Ort"}).content.decode()
    assert 'href="/ideen/karte/?q=Ort"' in page
    page = client.get(MAP_URL, {"q": "Ort"}).content.decode()
    assert 'href="/ideen/?q=Ort"' in page


def test_detail_page_shows_the_location_and_links_to_the_map(client):
    idea = located(title="Mit Ort")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Breitengrad 51,48280, Längengrad 11,96970" in page
    assert f'href="/ideen/karte/#idee-{idea.pk}"' in page
    assert 'id="idea-location-map"' in page
    plain = IdeaFactory(title="Ohne Ort")
    page = client.get(plain.get_absolute_url()).content.decode()
    assert "idea-location-map" not in page and "leaflet.js" not in page


# --- Boundaries ---------------------------------------------------------------------------


def test_missing_boundary_file_gives_an_empty_collection(client):
    response = client.get(reverse("ideas:quarter-boundaries"))
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": []}


def test_boundary_file_is_served_with_the_quarters_names(client, settings):
    settings.MITMACHEN_QUARTER_BOUNDARIES = FIXTURE
    QuarterFactory(code="F01", name="Paulusviertel")
    response = client.get(reverse("ideas:quarter-boundaries"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    names = {f["properties"]["code"]: f["properties"]["name"] for f in data["features"]}
    # The database's name wins; a code unknown there keeps the file's name.
    assert names == {"F01": "Paulusviertel", "F02": "Fake-Süd"}
    assert "description" not in data


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"type": "FeatureCollection"}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[11, 51], [12, 51], [11, 51]]]}}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature",'
        ' "properties": {"code": "01"}, "geometry": {"type": "Point", "coordinates": [11, 51]}}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature",'
        ' "properties": {"code": "01"}, "geometry": {"type": "Polygon",'
        ' "coordinates": [[["a", 51], [12, 99]]]}}]}',
    ],
)
def test_broken_boundary_file_is_logged_and_not_served(client, settings, tmp_path, caplog, text):
    path = tmp_path / "broken.geojson"
    path.write_text(text)
    settings.MITMACHEN_QUARTER_BOUNDARIES = path
    response = client.get(reverse("ideas:quarter-boundaries"))
    assert response.status_code == 200
    assert response.json()["features"] == []
    assert "Quarter boundaries" in caplog.text and "not used" in caplog.text
    assert [message.id for message in boundaries_checks()] == ["fields.W001"]


def boundaries_checks():
    from fields.checks import quarter_boundaries_check

    return quarter_boundaries_check(None)


def test_valid_or_missing_boundary_file_passes_the_check(settings):
    assert boundaries_checks() == []
    settings.MITMACHEN_QUARTER_BOUNDARIES = FIXTURE
    assert boundaries_checks() == []
    assert len(boundaries.quarter_boundaries()["features"]) == 2


# --- Location in the citizen's form ---------------------------------------------------------


def form_data(**overrides):
    return idea_form_data(
        **{
            "title": "Bank am Fluss",
            "summary": "Eine Bank.",
            "description": "Eine Bank am Saaleufer.",
            "problem": "Keine Bank.",
            "benefit": "Man kann sitzen.",
            **overrides,
        }
    )

def create_url(call):
    return reverse("ideas:idea-create", args=[call.slug])


def test_citizen_saves_a_location(citizen_client, citizen, open_call):
    response = citizen_client.post(
        create_url(open_call), form_data(latitude="51,4901", longitude=" 11.9702 ")
    )
    assert response.status_code == 302
    idea = Idea.objects.get(author=citizen)
    assert (idea.latitude, idea.longitude) == (Decimal("51.490100"), Decimal("11.970200"))
    page = citizen_client.get(idea.get_absolute_url()).content.decode()
    assert "Breitengrad 51,49010, Längengrad 11,97020" in page


def test_location_is_optional(citizen_client, citizen, open_call):
    response = citizen_client.post(create_url(open_call), form_data(latitude="", longitude=""))
    assert response.status_code == 302
    assert not Idea.objects.get(author=citizen).has_location


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("51.49", "", "Bitte geben Sie Breiten- und Längengrad an oder keinen von beiden."),
        ("", "11.97", "Bitte geben Sie Breiten- und Längengrad an oder keinen von beiden."),
        ("52.52", "13.40", "Der Ort liegt außerhalb des Stadtgebiets."),
        ("abc", "11.97", "Geben Sie eine Zahl wie 51.4828 ein."),
        ("1e999", "11.97", "Geben Sie eine Zahl zwischen -90 und 90 ein."),
        ("NaN", "11.97", "Geben Sie eine Zahl zwischen -90 und 90 ein."),
        ("51.49", "Infinity", "Geben Sie eine Zahl zwischen -180 und 180 ein."),
        ("5" * 10_000, "11.97", "Geben Sie eine Zahl wie 51.4828 ein."),
        ("51.49\x00", "11.97", "Nullzeichen sind nicht erlaubt."),
    ],
)
def test_bad_location_is_refused_in_german_and_the_text_kept(
    citizen_client, citizen, open_call, latitude, longitude, message
):
    response = citizen_client.post(
        create_url(open_call), form_data(latitude=latitude, longitude=longitude)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Eine Bank am Saaleufer." in page  # what was typed stays
    assert not Idea.objects.filter(author=citizen).exists()


def test_editing_a_draft_keeps_and_changes_the_location(citizen_client, citizen, open_call):
    draft = DraftFactory(
        author=citizen,
        call=open_call,
        latitude=Decimal("51.482800"),
        longitude=Decimal("11.969700"),
    )
    edit = reverse("ideas:idea-edit", args=[draft.pk])
    page = citizen_client.get(edit).content.decode()
    assert 'value="51.4828"' in page and 'value="11.9697"' in page
    assert 'id="location-map"' in page and "data-location-quarter" in page
    data = form_data(intent="save", latitude="51.4828", longitude="11.9697", title="Geändert")
    assert citizen_client.post(edit, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Geändert" and draft.latitude == Decimal("51.482800")
    data.update(latitude="", longitude="")
    assert citizen_client.post(edit, data).status_code == 302
    draft.refresh_from_db()
    assert not draft.has_location


def test_service_refuses_a_location_outside_the_city(citizen, open_call):
    from django.core.exceptions import ValidationError

    from ideas import services

    data = services.IdeaData(title="X", latitude=Decimal("48.1"), longitude=Decimal("11.5"))
    with pytest.raises(ValidationError, match="Der Ort liegt außerhalb des Stadtgebiets") as error:
        services.idea_save_draft(call=open_call, author=citizen, data=data)
    assert "latitude" in error.value.message_dict


def test_bounds_come_from_the_settings(citizen_client, citizen, open_call, settings):
    settings.MITMACHEN_MAP_BOUNDS = (13.0, 52.3, 13.8, 52.7)
    response = citizen_client.post(
        create_url(open_call), form_data(latitude="52.52", longitude="13.40")
    )
    assert response.status_code == 302


# --- Location in the staff's intake -----------------------------------------------------------



def intake_data(**overrides):
    data = {
        "call": CallFactory().pk,
        "channel": "post",
        "received_on": timezone.localdate().isoformat(),
        "paper_consent": "on",
        "submitter_name": "Erna",
        "title": "Per Brief",
        "summary": "Kurz",
        "description": "Lang",
        "problem": "P",
        "benefit": "N",
        "primary_field": field("bildung").pk,
        "action_fields": [field("bildung").pk],
        "whole_city": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_intake_in_the_admin_accepts_a_location(client, editor):
    response = client.post(
        reverse("admin:ideas_idea_add"), intake_data(latitude="51.47", longitude="11.99")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.get(title="Per Brief")
    assert (idea.latitude, idea.longitude) == (Decimal("51.470000"), Decimal("11.990000"))


def test_intake_in_the_admin_refuses_half_a_location(client, editor):
    response = client.post(reverse("admin:ideas_idea_add"), intake_data(latitude="51.47"))
    assert response.status_code == 200
    assert "Bitte geben Sie Breiten- und Längengrad an" in response.content.decode()
    assert not Idea.objects.filter(title="Per Brief").exists()


def test_editor_corrects_a_location_in_the_admin(client, editor):
    idea = located(title="Alt")
    page = client.get(reverse("admin:ideas_idea_change", args=[idea.pk])).content.decode()
    assert 'value="51.4828"' in page
    response = client.post(
        reverse("admin:ideas_idea_change", args=[idea.pk]),
        {
            "expected_version": idea.version,
            "title": "Alt",
            "summary": idea.summary,
            "description": idea.description,
            "problem": idea.problem,
            "benefit": idea.benefit,
            "target_groups": idea.target_groups,
            "whole_city": "on",
            "action_fields": [field("bildung").pk],
            "latitude": "51.5",
            "longitude": "11.95",
            "feedback": "",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    idea.refresh_from_db()
    assert idea.latitude == Decimal("51.500000")


# --- Demo data ----------------------------------------------------------------------------


def test_demo_ideas_get_places_inside_the_city(settings):
    call_command("seed_demo", stdout=io.StringIO())
    ideas = Idea.objects.filter(call__slug="smart-city-halle-2022")
    placed = [idea for idea in ideas if idea.has_location]
    assert len(ideas) // 2 < len(placed) < len(ideas)
    west, south, east, north = settings.MITMACHEN_MAP_BOUNDS
    assert all(south < idea.latitude < north and west < idea.longitude < east for idea in placed)
    before = {idea.pk: (idea.latitude, idea.longitude) for idea in placed}
    call_command("seed_demo", stdout=io.StringIO())
    after = {i.pk: (i.latitude, i.longitude) for i in ideas.filter(latitude__isnull=False)}
    assert after == before
