"""The open-data API: only published content, never personal data; strict, German answers
to bad input; streams; a fixed number of queries."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration, RegistrationStatus
from fields.models import ActionField
from ideas import selectors
from ideas.models import Idea, Status
from measures.models import CostRange, Measure, MeasureStatus
from tests.events.factories import SECRET_LINK, EventFactory
from tests.factories import CallFactory, DraftFactory, IdeaFactory, QuarterFactory, UserFactory
from tests.ideas.test_lists import bulk_ideas

pytestmark = pytest.mark.django_db

LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
LIST_NAMES = ["idea", "call", "field", "quarter", "measure", "event"]

# Strings that must never leave the API.
SECRETS = {
    "author_name": "Geheimname Autorin Xq7",
    "author_email": "geheim-autorin-xq7@example.org",
    "submitter_name": "Einreicher Zzy9 Geheim",
    "submitter_email": "einreicher-zzy9@example.org",
    "submitter_phone": "+49 345 987654321",
    "submitter_address": "Geheimgasse 99, 06108 Halle",
    "draft": "Entwurf Unveröffentlicht Qw3",
    "hidden_call_idea": "Idee im versteckten Aufruf Er4",
    "hidden_call": "versteckter-aufruf-er4",
    "hidden_measure": "Unveröffentlichte Maßnahme Ty5",
    "hidden_feedback": "Noch nicht freigegebene Rückmeldung Ui6",
    "registrant": "Teilnehmerin Op8 Geheim",
    "registrant_email": "teilnehmerin-op8@example.org",
    "internal_event": "Internes Treffen As9",
    "secret_link": SECRET_LINK,
    "score": "4.321",
    "consent_version": "Einwilligung-Vx7",
    "form_token": "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def world():
    """A published idea with a located point, feedback, a measure; and around it everything
    that must stay hidden."""
    author = UserFactory(display_name=SECRETS["author_name"], email=SECRETS["author_email"])
    call = CallFactory(slug="offen")
    quarter = QuarterFactory(code="QX1", name="Altstadt")
    idea = IdeaFactory(
        call=call,
        author=author,
        title="Sichtbare Idee",
        submitter_name=SECRETS["submitter_name"],
        submitter_email=SECRETS["submitter_email"],
        submitter_phone=SECRETS["submitter_phone"],
        submitter_address=SECRETS["submitter_address"],
        entered_by=author,
        latitude=Decimal("51.482800"),
        longitude=Decimal("11.969700"),
        feedback="Veröffentlichte Rückmeldung",
        feedback_published_at=timezone.now(),
        status=Status.QUALIFIED,
        score=Decimal("4.321"),
        consent_version=SECRETS["consent_version"],
        form_token=SECRETS["form_token"],
    )
    idea.quarters.add(quarter)
    other = IdeaFactory(call=call, title="Ohne Ort", feedback=SECRETS["hidden_feedback"])
    DraftFactory(call=call, title=SECRETS["draft"], author=author)
    hidden_call = CallFactory(slug=SECRETS["hidden_call"], published=False)
    IdeaFactory(call=hidden_call, title=SECRETS["hidden_call_idea"])
    measure = Measure.objects.create(
        call=call, title="Öffentliche Maßnahme", slug="m-offen", published=True
    )
    measure.ideas.add(idea, other, through_defaults={"contribution": "Die Sensoridee"})
    measure.quarters.add(quarter)
    measure.milestones.create(title="Ausschreibung", due=date(2027, 6, 1))
    measure.indicators.create(name="Laternen", unit="Stück", target=Decimal("500"))
    measure.updates.create(status=MeasureStatus.IN_DRAFT, text="Im Entwurf")
    measure.status, measure.cost_range = MeasureStatus.IN_DRAFT, CostRange.UP_TO_250K
    measure.save()
    hidden = Measure.objects.create(
        call=call, title=SECRETS["hidden_measure"], slug="m-geheim", published=False
    )
    hidden.ideas.add(idea)
    event = EventFactory(call=hidden_call)
    event.quarters.add(quarter)
    Registration.objects.create(
        event=event,
        name=SECRETS["registrant"],
        email=SECRETS["registrant_email"],
        status=RegistrationStatus.CONFIRMED,
    )
    EventFactory(title=SECRETS["internal_event"], public=False)
    return {"idea": idea, "other": other, "measure": measure, "event": event}


def every_url(world) -> list[str]:
    urls = [reverse("api:root"), reverse("api:schema")]
    urls.append(reverse("api:idea-detail", kwargs={"pk": world["idea"].pk}))
    urls.append(reverse("api:idea-detail", kwargs={"pk": world["other"].pk}))
    for name in LIST_NAMES:
        path = reverse(f"api:{name}-list")
        urls += [path, path + "?format=csv"]
    urls.append(reverse("api:idea-list") + "?format=geojson")
    return urls


def test_no_personal_or_unpublished_data_in_any_answer(client, world):
    for url in every_url(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        if url.split("?")[0] == reverse("api:idea-list"):
            assert "Sichtbare Idee" in text, url  # the walk does see published content
        for name, secret in SECRETS.items():
            assert secret not in text, (url, name)


def test_the_published_idea_shows_what_is_public(client, world):
    data = client.get(reverse("api:idea-detail", kwargs={"pk": world["idea"].pk})).json()
    assert data["feedback"] == "Veröffentlichte Rückmeldung"
    assert data["status"] == "qualified"
    assert data["status_label"] == "Qualifiziert"
    assert data["location"] == {"latitude": 51.4828, "longitude": 11.9697}
    assert data["measures"] == [{"slug": "m-offen", "title": "Öffentliche Maßnahme"}]
    assert data["quarters"] == [{"code": "QX1", "name": "Altstadt"}]
    assert data["url"].endswith(world["idea"].get_absolute_url())
    other = client.get(reverse("api:idea-detail", kwargs={"pk": world["other"].pk})).json()
    assert other["feedback"] is None
    assert other["location"] is None


def test_drafts_and_ideas_of_hidden_calls_answer_404(client, world):
    for idea in Idea.objects.exclude(pk__in=[world["idea"].pk, world["other"].pk]):
        response = client.get(reverse("api:idea-detail", kwargs={"pk": idea.pk}))
        assert response.status_code == 404
        assert response.json()["detail"] == "Nicht gefunden."


def test_measures_list_only_published_source_ideas(client, world):
    world["measure"].ideas.add(Idea.objects.get(title=SECRETS["draft"]))
    results = client.get(reverse("api:measure-list")).json()["results"]
    assert [measure["slug"] for measure in results] == ["m-offen"]
    assert sorted(results[0]["ideas"]) == sorted([world["idea"].pk, world["other"].pk])


def test_event_of_a_hidden_call_does_not_name_it(client, world):
    results = client.get(reverse("api:event-list")).json()["results"]
    assert len(results) == 1
    assert results[0]["call"] is None
    assert results[0]["quarters"] == [{"code": "QX1", "name": "Altstadt"}]


# --- The schema against the answers ---------------------------------------------------------


def to_json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable` becomes a null alternative, and objects accept
    no property the schema does not name (an undocumented field fails)."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: to_json_schema(value) for key, value in node.items()}
    if "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


MEDIA_TYPES = {"json": "application/json", "csv": "text/csv", "geojson": "application/geo+json"}


def answer(response) -> tuple[int, str, str]:
    """What a client receives: the status, the media type and the body's text."""
    media_type = response["Content-Type"].split(";")[0].strip()
    return response.status_code, media_type, body(response)


def conformance_errors(schema: dict, path: str, received: tuple[int, str, str]) -> list[str]:
    """What in the answer differs from what the OpenAPI document says of it: the status, the
    media type, and the body against the schema of that media type (a CSV: a string whose
    header names the columns the description lists)."""
    from jsonschema import Draft202012Validator, FormatChecker

    status, media_type, text = received
    responses = schema["paths"][path]["get"]["responses"]
    if str(status) not in responses:
        return [f"status {status}, documented: {sorted(responses)}"]
    content = responses[str(status)]["content"]
    if media_type not in content:
        return [f"media type {media_type}, documented: {sorted(content)}"]
    try:
        data = json.loads(text) if media_type.endswith("json") else text
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    node = to_json_schema(content[media_type]["schema"])
    validator = Draft202012Validator(
        {**node, "components": to_json_schema(schema["components"])},
        format_checker=FormatChecker(),
    )
    errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(data)]
    if media_type == "text/csv":
        columns = node["description"].rsplit("Columns: ", 1)[1].rstrip(".").split(";")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
        if rows[0] != columns:
            errors.append(f"CSV header {rows[0]}, documented: {columns}")
        errors += [
            f"row {n}: {len(row)} cells" for n, row in enumerate(rows) if len(row) != len(columns)
        ]
    return errors


def test_every_format_of_every_endpoint_matches_the_openapi_schema(client, world):
    """A conformance run: each list in each format its `format` parameter offers, a detail,
    and the errors, against what the schema says of status, media type and body."""
    schema = client.get(reverse("api:schema")).json()
    checked = []
    for path, item in schema["paths"].items():
        operation = item["get"]
        if "{id}" in path:
            continue
        formats = next(p for p in operation["parameters"] if p["name"] == "format")
        offered = formats["schema"]["enum"]
        # Every format has its media type documented, and no other is documented.
        assert {MEDIA_TYPES[name] for name in offered} == set(
            operation["responses"]["200"]["content"]
        ), path
        for name in offered:
            received = answer(client.get(path, {"format": name}))
            assert received[:2] == (200, MEDIA_TYPES[name]), (path, name)
            assert conformance_errors(schema, path, received) == [], (path, name)
            checked.append((path, name))
        for query, status in (
            ({"nope": "1"}, 400),
            ({"format": "xml"}, 400),
            ({"page": "99"}, 404),
            ({"page": "999999999999999999"}, 404),  # the documented maximum
            # The whole-list formats ignore the page, but not a bad one.
            ({"format": offered[-1], "page_size": "0"}, 400),
            ({"format": offered[-1], "page": "-1"}, 400),
        ):
            received = answer(client.get(path, query))
            assert received[0] == status, (path, query)
            assert conformance_errors(schema, path, received) == [], (path, query)
    assert ("/api/v1/ideas/", "csv") in checked
    assert ("/api/v1/ideas/", "geojson") in checked
    assert ("/api/v1/measures/", "geojson") in checked
    assert len(checked) == 14  # six lists in JSON and CSV, ideas and measures in GeoJSON too
    detail = "/api/v1/ideas/{id}/"
    for idea in (world["idea"], world["other"]):
        received = answer(client.get(reverse("api:idea-detail", kwargs={"pk": idea.pk})))
        assert received[0] == 200
        assert conformance_errors(schema, detail, received) == []
    filtered = answer(
        client.get("/api/v1/ideas/", {"format": "geojson", "call": "offen", "q": "Sichtbar"})
    )
    assert conformance_errors(schema, "/api/v1/ideas/", filtered) == []
    assert len(json.loads(filtered[2])["features"]) == 1


def test_the_schema_check_finds_a_csv_or_geojson_that_differs(client, world):
    """The check above notices an answer unlike its description."""
    schema = client.get(reverse("api:schema")).json()
    ideas = "/api/v1/ideas/"
    status, _media_type, page = answer(client.get(ideas))
    assert conformance_errors(schema, ideas, (status, "text/csv", page))  # JSON is no CSV
    status, _media_type, geojson = answer(client.get(ideas, {"format": "geojson"}))
    # A FeatureCollection is not the paginated list, nor that list a FeatureCollection.
    assert conformance_errors(schema, ideas, (status, "application/json", geojson))
    assert conformance_errors(schema, ideas, (status, "application/geo+json", page))
    status, media_type, text = answer(client.get("/api/v1/fields/", {"format": "csv"}))
    renamed = text.replace("slug", "kennung", 1)  # the first column's name
    assert conformance_errors(schema, "/api/v1/fields/", (status, media_type, renamed)) == [
        "CSV header ['kennung', 'name', 'description', 'colour', 'order', 'idea_count'], "
        "documented: ['slug', 'name', 'description', 'colour', 'order', 'idea_count']"
    ]


def test_every_documented_filter_parameter_is_named(client):
    schema = client.get(reverse("api:schema")).json()
    documented = {
        parameter["name"] for parameter in schema["paths"]["/api/v1/ideas/"]["get"]["parameters"]
    }
    assert documented == {
        "q",
        "call",
        "field",
        "quarter",
        "status",
        "supported",
        "sort",
        "has_location",
        "format",
        "page",
        "page_size",
        "cursor",
    }


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [20, 2000])
def test_idea_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_ideas(count)
    # count, the page's keys, its ideas, action fields, quarters, measures, and the field
    # filter's lookup (every idea's JSON is new here: none is cached yet)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api:idea-list"), {"field": "bildung", "page": 1})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(50, count // 4)


@pytest.mark.parametrize("count", [20, 2000])
def test_idea_csv_queries_grow_with_chunks_not_rows(client, django_assert_max_num_queries, count):
    bulk_ideas(count)
    with django_assert_max_num_queries(1 + 3 * 2):
        response = client.get(reverse("api:idea-list"), {"format": "csv"})
        lines = body(response).splitlines()
    assert len(lines) == count + 1


# --- CSV and GeoJSON -------------------------------------------------------------------------


def test_csv_has_bom_header_and_neutralised_formulas(client, world):
    world["idea"].title = '=HYPERLINK("http://evil")'
    world["idea"].summary = "@SUMME(A1)"
    world["idea"].save()
    response = client.get(reverse("api:idea-list"), {"format": "csv", "q": "Zusammenfassung"})
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ideen.csv"'
    text = body(response)
    assert text.startswith("\ufeffid;reference;title;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 1  # filters apply: only the idea whose summary was not changed
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(reverse("api:idea-list"), {"format": "csv"})).lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    row = next(row for row in rows if row["id"] == str(world["idea"].pk))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'@SUMME(A1)"
    assert row["quarters"] == "QX1"
    assert row["measures"] == "m-offen"
    assert row["status_label"] == "Qualifiziert"
    assert {row["title"] for row in rows} == {'\'=HYPERLINK("http://evil")', "Ohne Ort"}


def test_every_list_has_a_csv(client, world):
    for name in LIST_NAMES:
        response = client.get(reverse(f"api:{name}-list"), {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert body(response).startswith("\ufeff")


def test_the_format_parameter_wins_over_the_accept_header(client, world):
    """Clients generated from the schema send the type the schema names for the format."""
    csv = client.get(reverse("api:idea-list"), {"format": "csv"}, headers={"accept": "text/csv"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    geojson = client.get(
        reverse("api:idea-list"),
        {"format": "geojson"},
        headers={"accept": "application/geo+json"},
    )
    assert geojson.status_code == 200
    assert json.loads(body(geojson))["type"] == "FeatureCollection"
    fields = client.get(reverse("api:field-list"), headers={"accept": "text/csv"})
    assert fields.status_code == 200
    assert fields.json()["results"]


def test_geojson_holds_only_located_ideas_longitude_first(client, world):
    response = client.get(reverse("api:idea-list"), {"format": "geojson"})
    assert response.streaming
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    assert data["license"]["name"] == "CC BY 4.0"
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.9697, 51.4828]}
    assert feature["properties"]["title"] == "Sichtbare Idee"


def test_has_location_filter(client, world):
    located = client.get(reverse("api:idea-list"), {"has_location": "true"}).json()
    assert [idea["title"] for idea in located["results"]] == ["Sichtbare Idee"]
    unlocated = client.get(reverse("api:idea-list"), {"has_location": "false"}).json()
    assert [idea["title"] for idea in unlocated["results"]] == ["Ohne Ort"]
    assert client.get(reverse("api:idea-list"), {"has_location": "ja"}).status_code == 400


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"colour": "rot"}, 400, ["colour", "q, call, field"]),
        ({"field": "gibt-es-nicht"}, 400, ["field"]),
        ({"format": "xml"}, 400, ["xml", "json, csv, geojson"]),
        ({"page": "-1"}, 400, ["page"]),
        ({"page": "abc"}, 400, ["page"]),
        ({"page": "0"}, 400, ["page"]),
        ({"page_size": "100000"}, 400, ["page_size", "500"]),
        ({"page_size": "0"}, 400, ["page_size"]),
        ({"page": "2"}, 404, ["2"]),
        ({"page": "99999999999999999"}, 404, ["99999999999999999"]),
        ({"page": "9" * 40}, 400, ["page"]),
        ({"q": "x" * 500}, 400, ["q"]),
        ({"q": "Rad\x00weg"}, 400, ["q"]),
        ({"field": "bil\x00dung"}, 400, ["field"]),
        ({"x" * 5000: "1"}, 400, ["x" * 50]),
    ],
)
def test_bad_input_gets_a_german_error(client, world, query, status, words):
    response = client.get(reverse("api:idea-list"), query)
    assert response.status_code == status
    detail = response.json()["detail"]
    for word in words:
        assert word in detail
    assert response["Link"] == LICENCE_LINK


def test_errors_are_german_by_default_and_english_on_request(client, world):
    german = client.get(reverse("api:idea-list"), {"colour": "rot"}).json()["detail"]
    assert german.startswith("Unbekannter Parameter")
    english = client.get(
        reverse("api:idea-list"), {"colour": "rot"}, headers={"accept-language": "en"}
    ).json()["detail"]
    assert english.startswith("Unknown parameter")


@pytest.mark.parametrize("name", ["call", "field", "quarter", "event"])
def test_geojson_is_for_ideas_and_measures_only(client, name):
    response = client.get(reverse(f"api:{name}-list"), {"format": "geojson"})
    assert response.status_code == 400
    assert "geojson" in response.json()["detail"]


def test_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/gibt-es-nicht/")
    assert response.status_code == 404
    assert "/api/v1/" in response.json()["detail"]


def test_missing_slash_is_redirected(client):
    response = client.get("/api/v1/ideas?format=csv")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/ideas/?format=csv"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_not_allowed(client, world, method):
    for url in [
        reverse("api:idea-list"),
        reverse("api:idea-detail", kwargs={"pk": world["idea"].pk}),
        reverse("api:event-list"),
    ]:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405
        assert response.json()["detail"]
    assert Idea.objects.count() == 4


def test_rate_limit_answers_429_with_retry_after(client, settings):
    settings.MITMACHEN_API_RATE = "3/min"
    for _ in range(3):
        assert client.get(reverse("api:field-list")).status_code == 200
    response = client.get(reverse("api:field-list"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zu viele Anfragen" in response.json()["detail"]
    # Another address has its own count.
    assert client.get(reverse("api:field-list"), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_cors_is_open_for_reading_without_credentials(client, world):
    response = client.get(reverse("api:idea-list"), headers={"origin": "https://example.com"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:idea-list"),
        headers={"origin": "https://example.com", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The rest of the site is not opened.
    page = client.get(reverse("ideas:idea-list"), headers={"origin": "https://example.com"})
    assert "Access-Control-Allow-Origin" not in page


def test_every_answer_states_the_licence(client, world):
    for url in every_url(world):
        assert client.get(url)["Link"] == LICENCE_LINK, url
    for name in LIST_NAMES:
        data = client.get(reverse(f"api:{name}-list")).json()
        assert data["license"] == {
            "name": "CC BY 4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
            "attribution": "Halle (Saale)",
        }


def test_pages_and_page_size(client):
    bulk_ideas(7)
    data = client.get(reverse("api:idea-list"), {"page_size": 3, "page": 3}).json()
    assert data["count"] == 7
    assert data["num_pages"] == 3
    assert len(data["results"]) == 1
    assert data["next"] is None
    assert "page=2" in data["previous"]


# --- Counts agree with the statistics -------------------------------------------------------


def test_field_counts_agree_with_the_selector(client, world):
    bulk_ideas(9)
    IdeaFactory(call=CallFactory(published=False))
    expected = {field.slug: field.idea_count for field in selectors.field_counts()}
    results = client.get(reverse("api:field-list")).json()["results"]
    assert {field["slug"]: field["idea_count"] for field in results} == expected
    assert sum(expected.values()) == 9 + 2
    assert len(results) == ActionField.objects.active().count()


def test_quarter_counts_only_published_ideas(client, world):
    hidden = IdeaFactory(call=CallFactory(published=False))
    hidden.quarters.add(*world["idea"].quarters.all())
    results = client.get(reverse("api:quarter-list")).json()["results"]
    assert results == [
        {
            "code": "QX1",
            "name": "Altstadt",
            "district": "Mitte",
            "kind": "Stadtteil",
            "part_of": "",
            "active": True,
            "idea_count": 1,
        }
    ]


def test_a_retired_quarter_stays_while_published_ideas_name_it(client, world):
    from tests.factories import QuarterFactory

    QuarterFactory(code="QX9", name="Leeres Viertel", active=False)
    world["idea"].quarters.update(active=False)
    results = client.get(reverse("api:quarter-list")).json()["results"]
    assert [(row["code"], row["active"], row["idea_count"]) for row in results] == [
        ("QX1", False, 1)
    ]


def test_calls_show_both_deadlines(client):
    call = CallFactory()
    call.deadline = call.closes_at + timedelta(days=14)
    call.save()
    CallFactory(published=False)
    results = client.get(reverse("api:call-list")).json()["results"]
    assert len(results) == 1
    assert results[0]["deadline"] != results[0]["closes_at"]


def test_documentation_page_describes_the_api(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/ideas/" in text
    assert "CC BY 4.0" in text
    assert reverse("api:docs") in client.get(reverse("ideas:home")).content.decode()


def test_json_pages_are_cached_until_public_content_changes(
    client, world, django_assert_max_num_queries
):
    url = reverse("api:idea-list")
    client.get(url)
    with django_assert_max_num_queries(0):
        cached = client.get(url).json()
    assert "Sichtbare Idee" in [row["title"] for row in cached["results"]]

    idea = world["idea"]
    idea.title = "Umbenannte Idee"
    idea.save()
    field = idea.primary_field
    field.name = "Umbenanntes Feld"
    field.save()
    [row] = [row for row in client.get(url).json()["results"] if row["id"] == idea.pk]
    assert row["title"] == "Umbenannte Idee"
    assert row["primary_field"]["name"] == "Umbenanntes Feld"
    names = [f["name"] for f in client.get(reverse("api:field-list")).json()["results"]]
    assert "Umbenanntes Feld" in names


def test_measures_carry_their_profile_and_only_public_sources(client, world):
    world["measure"].ideas.add(Idea.objects.get(title=SECRETS["draft"]))
    [measure] = client.get(reverse("api:measure-list")).json()["results"]
    assert measure["status"] == "in_draft"
    assert measure["status_label"] == "Im Strategieentwurf"
    assert measure["quarters"] == [{"code": "QX1", "name": "Altstadt"}]
    assert measure["milestones"] == [
        {"title": "Ausschreibung", "due": "2027-06-01", "reached_on": None}
    ]
    assert measure["indicators"] == [
        {"name": "Laternen", "unit": "Stück", "target": 500.0, "current": None}
    ]
    assert [update["text"] for update in measure["updates"]] == ["Im Entwurf"]
    assert sorted(source["id"] for source in measure["sources"]) == sorted(
        [world["idea"].pk, world["other"].pk]
    )
    assert {source["contribution"] for source in measure["sources"]} == {"Die Sensoridee"}
    response = client.get(reverse("api:measure-list"), {"format": "csv"})
    csv = b"".join(response.streaming_content).decode()
    assert "status" in csv.splitlines()[0] and "in_draft" in csv


def test_measures_as_geojson_are_at_their_located_public_ideas(client, world):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:measure-list"), {"format": "geojson"})
    # The measures and their located ideas; none of the JSON list's prefetches.
    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert len(selects) == 2, selects
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    [feature] = data["features"]
    assert feature["id"] == "m-offen"
    # Only the located idea; "Ohne Ort" has no place, the hidden measure is not there.
    assert feature["geometry"] == {"type": "MultiPoint", "coordinates": [[11.9697, 51.4828]]}
    assert feature["properties"]["ideas"] == [world["idea"].pk]
