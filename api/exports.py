"""CSV and GeoJSON of whole filtered lists, streamed.

The ideas' CSV and GeoJSON are written by PostgreSQL (api/copy_exports.py: one COPY,
byte-equal to the Python writers here). The Python writers are the reference and serve on
SQLite: rows from plain values (`values_list`), with the many-to-many parts read per chunk of
ideas, so memory stays bounded and the number of queries grows with the chunks, not the rows.
No serializer is involved; the column names are the JSON keys.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import batched
from types import SimpleNamespace

from django.db import connection
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from fields.models import ActionField, Quarter
from halle_smartcity import spreadsheets
from ideas import geo
from ideas.models import PUBLIC_STATUSES, Call, Idea, Status
from measures.models import Measure

from . import copy_exports
from .geojson_schema import feature_collection_schema
from .licence import licence
from .serializers import german_labels

CHUNK = 2000
_PK_MARK = 987654321


def csv_response(header: list[str], rows: Iterable[list], *, filename: str):
    return spreadsheets.csv_response(header, rows, filename=filename)


def url_parts(request, name: str, key: str = "pk") -> tuple[str, str]:
    """What comes before and after the key in the absolute URL of one object page."""
    prefix, _mark, suffix = request.build_absolute_uri(
        reverse(name, kwargs={key: _PK_MARK})
    ).partition(str(_PK_MARK))
    return prefix, suffix


def url_maker(request, name: str, key: str = "pk") -> Callable[[object], str]:
    """The absolute URL of one object page, without a `reverse()` per row (100,000 rows).
    The request is read at the first row, so naming the columns needs no real request."""
    parts: list[str] = []

    def url(value) -> str:
        if not parts:
            parts.extend(url_parts(request, name, key))
        return f"{parts[0]}{value}{parts[1]}"

    return url


def _iso(moment, zone=None) -> str:
    if not moment:
        return ""
    return moment.astimezone(zone or timezone.get_current_timezone()).isoformat()


def _number(value) -> str:
    return "" if value is None else str(value)


IDEA_COLUMNS = [
    "id",
    "reference",
    "title",
    "summary",
    "description",
    "call",
    "primary_field",
    "primary_field_name",
    "action_fields",
    "quarters",
    "whole_city",
    "status",
    "status_label",
    "feedback",
    "submitted_at",
    "latitude",
    "longitude",
    "measures",
    "support_count",
    "comment_count",
    "url",
]
IDEA_CSV_HEADER = spreadsheets.BOM + ";".join(IDEA_COLUMNS) + "\r\n"
# The public columns of an idea, read both for the JSON pages and for the whole-list exports.
IDEA_FIELDS = (
    "id",
    "reference",
    "title",
    "summary",
    "description",
    "call__slug",
    "primary_field__slug",
    "primary_field__name",
    "whole_city",
    "status",
    "feedback",
    "feedback_published_at",
    "submitted_at",
    "latitude",
    "longitude",
    "support_count",
    "comment_count",
    "support_threshold_reached_at",
)


_SHORT_VALUES = tuple(
    name
    for name in IDEA_FIELDS
    if name not in ("description", "feedback", "feedback_published_at")
)


def _pieces(parts: Iterator[str], size: int = 200) -> Iterator[str]:
    """Several small parts per piece: the response handles each piece it is given."""
    for group in batched(parts, size):
        yield "".join(group)


def _pairs(sql: str, ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    if connection.vendor == "postgresql":
        # One array literal, where an IN list of 2,000 makes the ORM and the driver build and
        # adapt a 2,000-placeholder query for every chunk.
        where, params = "= ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    else:
        where, params = "IN (" + ",".join(["%s"] * len(ids)) + ")", ids
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("= ANY(%s)", where), params)
        for idea_id, value in cursor.fetchall():
            found[idea_id].append(value)
    return found


def _related(ids: list[int]) -> tuple[dict, dict, dict]:
    """Action field slugs, quarter codes and published measure slugs of a chunk of ideas,
    in three queries."""
    fields = ActionField._meta.db_table
    idea_fields = Idea.action_fields.through._meta.db_table
    quarters = Quarter._meta.db_table
    idea_quarters = Idea.quarters.through._meta.db_table
    measures = Measure._meta.db_table
    measure_ideas = Measure.ideas.through._meta.db_table
    calls = Call._meta.db_table
    return (
        _pairs(
            f"SELECT t.idea_id, f.slug FROM {idea_fields} t JOIN {fields} f "  # noqa: S608
            "ON f.id = t.actionfield_id WHERE t.idea_id = ANY(%s) "
            'ORDER BY f."order", f.name, f.id',
            ids,
        ),
        _pairs(
            f"SELECT t.idea_id, q.code FROM {idea_quarters} t JOIN {quarters} q "  # noqa: S608
            "ON q.id = t.quarter_id WHERE t.idea_id = ANY(%s) ORDER BY q.name, q.id",
            ids,
        ),
        _pairs(
            f"SELECT t.idea_id, m.slug FROM {measure_ideas} t JOIN {measures} m "  # noqa: S608
            f"ON m.id = t.measure_id JOIN {calls} c ON c.id = m.call_id "
            "WHERE t.idea_id = ANY(%s) AND m.published AND c.published ORDER BY m.title, m.id",
            ids,
        ),
    )


def _idea_values(queryset: QuerySet[Idea], *, long_texts: bool = True) -> Iterator[list[dict]]:
    """The ideas as dicts of plain values, chunk by chunk, with their related slugs;
    without `long_texts` the description and feedback are not read (empty)."""
    names = IDEA_FIELDS if long_texts else _SHORT_VALUES
    values = queryset.select_related(None).prefetch_related(None).values_list(*names)
    for chunk in batched(values.iterator(chunk_size=CHUNK), CHUNK):
        ids = [row[0] for row in chunk]
        fields, quarters, measures = _related(ids)
        rows = []
        for row in chunk:
            item = dict(zip(names, row, strict=True))
            item["action_fields"] = fields.get(item["id"], [])
            item["quarters"] = quarters.get(item["id"], [])
            item["measures"] = measures.get(item["id"], [])
            rows.append(item)
        yield rows


def idea_csv(queryset: QuerySet[Idea], request, *, filename: str):
    """The CSV of the ideas, streamed; written by PostgreSQL where it is the database."""
    if copy_exports.available():
        url = url_parts(request, "ideas:idea-detail")
        lines = copy_exports.idea_csv_pieces(queryset, header=IDEA_CSV_HEADER, url=url)
    else:
        lines = idea_csv_lines(queryset, request)
    return spreadsheets.csv_stream_response(lines, filename=filename)


def idea_csv_lines(queryset: QuerySet[Idea], request) -> Iterator[str]:
    """The CSV text of the ideas in pieces, written in Python: the reference for the COPY
    path (api/copy_exports.py) and the path for SQLite."""
    url = url_maker(request, "ideas:idea-detail")
    text, code = spreadsheets.text, spreadsheets.code
    labels = {status: text(label) for status, label in german_labels(Status).items()}

    def lines():
        # One f-string per row: at 100,000 rows a generic writer's work per cell is most of
        # the time. Free texts go through spreadsheets.text (quoted), the site's own slugs,
        # codes and dates through spreadsheets.code; numbers are numbers.
        zone = timezone.get_current_timezone()
        yield IDEA_CSV_HEADER
        buffer = []
        for chunk in _idea_values(queryset):
            for item in chunk:
                feedback = item["feedback"] if item["feedback_published_at"] else ""
                buffer.append(
                    f"{item['id']};{text(item['reference'])};{text(item['title'])};"
                    f"{text(item['summary'])};{text(item['description'])};"
                    f"{code(item['call__slug'])};{code(item['primary_field__slug'])};"
                    f"{text(item['primary_field__name'])};"
                    f"{code(','.join(item['action_fields']))};{code(','.join(item['quarters']))};"
                    f"{'true' if item['whole_city'] else 'false'};{item['status']};"
                    f"{labels[item['status']]};{text(feedback)};"
                    f"{_iso(item['submitted_at'], zone)};{_number(item['latitude'])};"
                    f"{_number(item['longitude'])};{code(','.join(item['measures']))};"
                    f"{item['support_count']};{item['comment_count']};"
                    f"{url(item['id'])}\r\n"
                )
            yield "".join(buffer)
            buffer = []

    return lines()


def _strings(description: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description}


# What `idea_geojson` writes, for the OpenAPI document (the stream is built by hand, not by a
# serializer, so its schema is written down here beside it).
IDEA_GEOJSON_SCHEMA = feature_collection_schema(
    description="A GeoJSON FeatureCollection (RFC 7946) of the filtered ideas that have a "
    "location, with the licence as a foreign member.",
    feature_id={"type": "integer"},
    geometry="Point",
    properties={
        "type": "object",
        "required": [
            "id",
            "reference",
            "title",
            "summary",
            "call",
            "primary_field",
            "action_fields",
            "quarters",
            "status",
            "status_label",
            "submitted_at",
            "measures",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "reference": {"type": "string", "nullable": True},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "call": {"type": "string", "description": "The call's slug."},
            "primary_field": {
                "type": "string",
                "nullable": True,
                "description": "The primary action field's slug.",
            },
            "action_fields": _strings("Slugs of every action field."),
            "quarters": _strings("Codes of the quarters."),
            "status": {
                "type": "string",
                "enum": PUBLIC_STATUSES,
            },
            "status_label": {"type": "string"},
            "submitted_at": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
            },
            "measures": _strings("Slugs of the published measures."),
            "url": {"type": "string", "format": "uri"},
        },
    },
)


def idea_geojson(queryset: QuerySet[Idea], request):
    """A FeatureCollection of the ideas that have a location, streamed; written by PostgreSQL
    where it is the database."""
    if copy_exports.available():
        url = url_parts(request, "ideas:idea-detail")
        pieces = copy_exports.idea_geojson_pieces(queryset, url=url)
    else:
        pieces = idea_geojson_pieces(queryset, request)
    return StreamingHttpResponse(pieces, content_type="application/geo+json; charset=utf-8")


def idea_geojson_pieces(queryset: QuerySet[Idea], request) -> Iterator[str]:
    """The FeatureCollection's JSON text in pieces, written in Python: the reference for the
    COPY path and the path for SQLite."""
    url = url_maker(request, "ideas:idea-detail")
    labels = german_labels(Status)
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)

    def features():
        zone = timezone.get_current_timezone()
        for chunk in _idea_values(located, long_texts=False):
            for item in chunk:
                point = SimpleNamespace(
                    pk=item["id"], latitude=item["latitude"], longitude=item["longitude"]
                )
                properties = {
                    "id": item["id"],
                    "reference": item["reference"],
                    "title": item["title"],
                    "summary": item["summary"],
                    "call": item["call__slug"],
                    "primary_field": item["primary_field__slug"],
                    "action_fields": item["action_fields"],
                    "quarters": item["quarters"],
                    "status": item["status"],
                    "status_label": labels[item["status"]],
                    "submitted_at": _iso(item["submitted_at"], zone) or None,
                    "measures": item["measures"],
                    "url": url(item["id"]),
                }
                yield json.dumps(geo.idea_feature(point, properties), ensure_ascii=False)

    return _pieces(geo.iter_feature_collection_json(features(), license=licence()))


def objects_csv(objects: Iterable, columns: list[tuple[str, Callable]], *, filename: str):
    """CSV of a short list (calls, fields, quarters, measures, events) from model objects."""
    return csv_response(
        [name for name, _getter in columns],
        ([getter(obj) for _name, getter in columns] for obj in objects),
        filename=filename,
    )
