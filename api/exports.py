"""CSV and GeoJSON of whole filtered lists, streamed.

Rows are written from plain values (`values_list`), with the many-to-many parts read per
chunk of ideas: memory stays bounded and the number of queries grows with the chunks, not the
rows. No serializer is involved; the column names are the JSON keys.
"""

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import batched
from types import SimpleNamespace

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from ideas import geo
from ideas.models import Idea, Measure, Status

from .licence import licence
from .serializers import german_labels

CHUNK = 2000
_PK_MARK = 987654321


def neutralise(value):
    """A cell a spreadsheet would run as a formula (CSV injection) is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    # ";" as in the site's other exports: German spreadsheet programs split on it.
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # the BOM: spreadsheet programs then read UTF-8 (umlauts) correctly
    yield writer.writerow(header)
    buffer = []
    for row in rows:
        buffer.append(writer.writerow([neutralise(value) for value in row]))
        if len(buffer) >= 200:
            # Fewer, larger pieces: each piece costs a write to the socket.
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_response(header: list[str], rows: Iterable[list], *, filename: str):
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def url_maker(request, name: str, key: str = "pk") -> Callable[[object], str]:
    """The absolute URL of one object page, without a `reverse()` per row (100,000 rows)."""
    prefix, _mark, suffix = request.build_absolute_uri(
        reverse(name, kwargs={key: _PK_MARK})
    ).partition(str(_PK_MARK))
    return lambda value: f"{prefix}{value}{suffix}"


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


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
    "url",
]
_IDEA_VALUES = (
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
)


def _related(ids: list[int]) -> tuple[dict, dict, dict]:
    """Action field slugs, quarter codes and published measure slugs of a chunk of ideas,
    in three queries."""
    fields, quarters, measures = defaultdict(list), defaultdict(list), defaultdict(list)
    for idea_id, slug in (
        Idea.action_fields.through.objects.filter(idea_id__in=ids)
        .order_by("actionfield__order", "actionfield__name")
        .values_list("idea_id", "actionfield__slug")
    ):
        fields[idea_id].append(slug)
    for idea_id, code in (
        Idea.quarters.through.objects.filter(idea_id__in=ids)
        .order_by("quarter__name")
        .values_list("idea_id", "quarter__code")
    ):
        quarters[idea_id].append(code)
    for idea_id, slug in (
        Measure.ideas.through.objects.filter(
            idea_id__in=ids, measure__published=True, measure__call__published=True
        )
        .order_by("measure__title")
        .values_list("idea_id", "measure__slug")
    ):
        measures[idea_id].append(slug)
    return fields, quarters, measures


def _idea_values(queryset: QuerySet[Idea]) -> Iterator[list[dict]]:
    """The ideas as dicts of plain values, chunk by chunk, with their related slugs."""
    values = queryset.select_related(None).prefetch_related(None).values_list(*_IDEA_VALUES)
    for chunk in batched(values.iterator(chunk_size=CHUNK), CHUNK):
        ids = [row[0] for row in chunk]
        fields, quarters, measures = _related(ids)
        rows = []
        for row in chunk:
            item = dict(zip(_IDEA_VALUES, row, strict=True))
            item["action_fields"] = fields.get(item["id"], [])
            item["quarters"] = quarters.get(item["id"], [])
            item["measures"] = measures.get(item["id"], [])
            rows.append(item)
        yield rows


def idea_csv(queryset: QuerySet[Idea], request, *, filename: str):
    url = url_maker(request, "ideas:idea-detail")
    labels = german_labels(Status)

    def rows():
        for chunk in _idea_values(queryset):
            for item in chunk:
                yield [
                    item["id"],
                    item["reference"],
                    item["title"],
                    item["summary"],
                    item["description"],
                    item["call__slug"],
                    item["primary_field__slug"] or "",
                    item["primary_field__name"] or "",
                    ",".join(item["action_fields"]),
                    ",".join(item["quarters"]),
                    "true" if item["whole_city"] else "false",
                    item["status"],
                    labels[item["status"]],
                    item["feedback"] if item["feedback_published_at"] else "",
                    _iso(item["submitted_at"]),
                    _number(item["latitude"]),
                    _number(item["longitude"]),
                    ",".join(item["measures"]),
                    url(item["id"]),
                ]

    return csv_response(IDEA_COLUMNS, rows(), filename=filename)


def idea_geojson(queryset: QuerySet[Idea], request):
    """A FeatureCollection of the ideas that have a location, streamed."""
    url = url_maker(request, "ideas:idea-detail")
    labels = german_labels(Status)
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)

    def features():
        for chunk in _idea_values(located):
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
                    "submitted_at": _iso(item["submitted_at"]) or None,
                    "measures": item["measures"],
                    "url": url(item["id"]),
                }
                yield json.dumps(geo.idea_feature(point, properties), ensure_ascii=False)

    return StreamingHttpResponse(
        geo.iter_feature_collection_json(features(), license=licence()),
        content_type="application/geo+json; charset=utf-8",
    )


def objects_csv(objects: Iterable, columns: list[tuple[str, Callable]], *, filename: str):
    """CSV of a short list (calls, fields, quarters, measures, events) from model objects."""
    return csv_response(
        [name for name, _getter in columns],
        ([getter(obj) for _name, getter in columns] for obj in objects),
        filename=filename,
    )
