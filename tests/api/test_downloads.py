"""The whole-list downloads of ideas (CSV and GeoJSON): on PostgreSQL the database writes
them (COPY); the files equal, byte for byte, what the Python writers (the path for SQLite)
write, with hostile texts and with the list's filters; the number of queries does not grow
with the list; the answer streams, and a client that stops reading leaves a usable
connection behind."""

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from api import copy_exports
from fields.models import ActionField, District, Quarter
from ideas.models import Idea, Status
from measures.models import Measure
from tests.factories import CallFactory, DraftFactory, IdeaFactory, action_field
from tests.ideas.test_lists import bulk_ideas

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "=cmd|' /C calc'!A0"


def body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.fixture
def world():
    """Published ideas with every kind of cell a download must write safely, some that a
    download must leave out, and ties in every order."""
    district = District.objects.create(name="Mitte")
    first_quarter = Quarter.objects.create(district=district, code="=Q1", name="Altstadt")
    # Same name: the order falls back to the id, in both writers.
    second_quarter = Quarter.objects.create(district=district, code="A;B", name="Altstadt")
    third_quarter = Quarter.objects.create(district=district, code="Z\nY", name="Zoo")
    hostile_field = ActionField.objects.create(
        name="+Feld", slug="-feld", order=action_field("bildung").order
    )
    call = CallFactory(slug="offen")
    other_call = CallFactory(slug="-zweiter")
    winter = datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 11, 30, 5, 123456, tzinfo=UTC)

    hostile = IdeaFactory(
        call=call,
        reference="@SC-1",
        title=HOSTILE_TITLE,
        summary="+SUMME(A1)",
        description='Zeile 1\r\nZeile 2\n"zitiert"; mit Semikolon\\n',
        feedback="-Rückmeldung; veröffentlicht",
        feedback_published_at=winter,
        primary_field=action_field("mobilitaet"),
        action_fields=[action_field("mobilitaet"), hostile_field, action_field("bildung")],
        whole_city=False,
        latitude=Decimal("51.482800"),
        longitude=Decimal("11.969700"),
        status=Status.QUALIFIED,
        submitted_at=winter,
    )
    hostile.quarters.add(third_quarter, second_quarter, first_quarter)
    IdeaFactory(
        call=call,
        title="Äpfel über Straße 🚲 \x01\x7f",
        summary="\tTabulator",
        description="\rWagenrücklauf",
        feedback="=Noch nicht veröffentlicht",
        whole_city=True,
        submitted_at=summer,
    )
    located = IdeaFactory(
        call=other_call,
        title='C:\\temp\\neu "Pfad"',
        summary="",
        primary_field=None,
        action_fields=[hostile_field],
        whole_city=False,
        latitude=Decimal("0.000050"),
        longitude=Decimal("-12.000000"),
        status=Status.IN_MEASURE,
        submitted_at=winter,  # the same moment as the first: the id decides
    )
    located.action_fields.clear()  # no action field at all
    for title, slug, published, of_call in [
        ("Maßnahme", "massnahme-b", True, call),
        ("Maßnahme", "massnahme-a", True, call),
        ("=Entwurf", "entwurf", False, call),
    ]:
        Measure.objects.create(
            call=of_call, title=title, slug=slug, published=published
        ).ideas.add(located, hostile)
    hidden = CallFactory(slug="versteckt", published=False)
    Measure.objects.create(call=hidden, title="Versteckt", slug="versteckt", published=True)
    Measure.objects.get(slug="versteckt").ideas.add(located)
    IdeaFactory(call=hidden, title="Im versteckten Aufruf")
    DraftFactory(call=call, title="Entwurf")
    return {"hostile": hostile, "located": located, "call": call, "field": hostile_field}


def both_writers(client, monkeypatch, path: str, params: dict) -> tuple[bytes, bytes]:
    """The download written by PostgreSQL, and by Python, with the statements each ran."""
    with CaptureQueriesContext(connection) as by_database:
        written_by_database = body(client.get(path, params))
    monkeypatch.setattr(copy_exports, "available", lambda: False)
    with CaptureQueriesContext(connection) as by_python:
        written_by_python = body(client.get(path, params))
    # Each path took its own way: the test compares two writers, not one with itself.
    assert any(query["sql"].startswith("COPY") for query in by_database.captured_queries)
    assert not any(query["sql"].startswith("COPY") for query in by_python.captured_queries)
    return written_by_database, written_by_python


FILTERS = [
    {},
    {"q": "Straße"},
    {"q": "@SC-1"},
    {"field": "-feld"},
    {"field": "bildung", "sort": "title"},
    {"quarter": "=Q1"},
    {"status": "qualified"},
    {"sort": "oldest"},
    {"sort": "title"},
    {"call": "-zweiter"},
    {"has_location": "true"},
    {"has_location": "false", "sort": "oldest"},
    {"q": "nichts passt"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[str(params) for params in FILTERS])
def test_the_csv_written_by_the_database_equals_the_python_one(client, monkeypatch, world, params):
    path = reverse("api:idea-list")
    by_database, by_python = both_writers(client, monkeypatch, path, {"format": "csv", **params})
    assert by_database == by_python
    if params == {}:
        text = by_database.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
        assert len(rows) == 3
        row = next(row for row in rows if row["id"] == str(world["hostile"].pk))
        assert row["title"] == "'" + HOSTILE_TITLE
        assert row["reference"] == "'@SC-1"
        assert row["quarters"] == "'=Q1,A;B,Z\nY"
        assert row["action_fields"] == "'-feld,bildung,mobilitaet"  # "+Feld" sorts first
        assert row["measures"] == "massnahme-b,massnahme-a"  # same title: by id
        assert row["submitted_at"] == "2026-01-15T12:30:00+01:00"
        assert "Noch nicht veröffentlicht" not in text
        assert text.count("\r\n") > 4  # CRLF line ends, and inside the description


@pytest.mark.parametrize("params", FILTERS, ids=[str(params) for params in FILTERS])
def test_the_geojson_written_by_the_database_equals_the_python_one(
    client, monkeypatch, world, params
):
    path = reverse("api:idea-list")
    by_database, by_python = both_writers(
        client, monkeypatch, path, {"format": "geojson", **params}
    )
    assert by_database == by_python
    if params == {}:
        features = json.loads(by_database)["features"]
        assert [feature["id"] for feature in features] == sorted(
            [world["hostile"].pk, world["located"].pk], reverse=True
        )
        located = features[0]
        assert located["geometry"]["coordinates"] == [-12.0, 0.00005]
        assert b"[-12.0, 5e-05]" in by_database
        assert located["properties"]["measures"] == ["massnahme-b", "massnahme-a"]
        assert located["properties"]["primary_field"] is None


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("format_", ["csv", "geojson"])
def test_queries_do_not_grow_with_the_list(client, format_, count):
    bulk_ideas(count)
    Idea.objects.update(latitude=Decimal("51.482800"), longitude=Decimal("11.969700"))
    with CaptureQueriesContext(connection) as context:
        content = body(client.get(reverse("api:idea-list"), {"format": format_}))
    assert content.count(b"/ideen/") == count
    statements = [query["sql"].split()[0] for query in context.captured_queries]
    # The download's settings and COPY, in a transaction (here a savepoint) rolled back.
    assert statements == ["SAVEPOINT", "SELECT", "COPY", "ROLLBACK", "RELEASE"]


def test_the_csv_streams_in_pieces(client):
    bulk_ideas(2000)
    response = client.get(reverse("api:idea-list"), {"format": "csv"})
    pieces = list(response.streaming_content)
    assert len(pieces) > 4  # the header, then a piece per 500 rows
    assert max(len(piece) for piece in pieces) < len(b"".join(pieces)) / 3
    assert b"".join(pieces).count(b"\r\n") == 2001


def settings_now() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('TimeZone')")
        return cursor.fetchone()


def test_a_client_that_stops_reading_leaves_a_usable_connection(rf):
    bulk_ideas(2000)
    before = settings_now()
    path = reverse("api:idea-list")
    response = resolve(path).func(rf.get(path, {"format": "csv"}))
    content = iter(response.streaming_content)
    next(content)
    next(content)
    # What the server does when the client goes away. The connection is not closed at the
    # request's end here (as in Django's test client): the test's transaction goes on.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert settings_now() == before  # the download's settings ended with it
    assert Idea.objects.published().count() == 2000
