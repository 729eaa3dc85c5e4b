"""The CSV and GeoJSON of whole filtered lists of ideas, written by PostgreSQL (COPY).

At 100,000 ideas Python's work per row (formatting, and reading the related slugs chunk by
chunk) is most of a download's time. Here one statement builds each finished line in SQL and
streams it (halle_smartcity.pg_copy): constant queries, no rows held in Python.

The Python writers in api/exports.py are the reference: the same columns, order, quoting
and formula guard (the cells come from halle_smartcity.spreadsheets' SQL builders), and
tests compare the two byte for byte. The list's filters are not written again: the filtered
queryset's own SQL picks the ideas and numbers them in its order.
"""

import json
from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from fields.models import ActionField, Quarter
from halle_smartcity import pg_copy, spreadsheets
from ideas import geo
from ideas.models import Call, Idea, Status
from measures.models import Measure

from .licence import licence
from .serializers import german_labels

text, code = spreadsheets.sql_text, spreadsheets.sql_code


def available() -> bool:
    """Whether the database writes the downloads (PostgreSQL), or Python does (SQLite)."""
    return connection.vendor == "postgresql"


def _chosen(queryset: QuerySet[Idea]) -> tuple[str, list]:
    """SQL of (id, position) for the queryset's ideas, numbered in the queryset's order."""
    ordering = list(queryset.query.order_by) or (
        list(Idea._meta.ordering) if queryset.query.default_ordering else []
    )
    numbered = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values("id")
        .annotate(position=Window(RowNumber(), order_by=[*ordering, "pk"]))
        .order_by()
    )
    sql, params = numbered.query.sql_with_params()
    return sql, list(params)


def _query(chosen_sql: str, line: str, aggregate: str) -> str:
    """SELECT `line` for each chosen idea, in order, from the idea (i), its call (c), its
    primary field (pf) and its lists of action field slugs (af.value), quarter codes
    (iq.value) and published measures' slugs (im.value), read as the Python path reads them
    (api/exports.py `_related`): same order, same measures. `aggregate` makes a list of
    `{value}` in `{order}`."""
    ideas, calls, fields = Idea._meta.db_table, Call._meta.db_table, ActionField._meta.db_table
    idea_fields = Idea.action_fields.through._meta.db_table
    quarters = Quarter._meta.db_table
    idea_quarters = Idea.quarters.through._meta.db_table
    measures = Measure._meta.db_table
    measure_ideas = Measure.ideas.through._meta.db_table

    def listed(value: str, order: str) -> str:
        return aggregate.format(value=value, order=order)

    # Grouped once over the chosen ideas' rows and joined by hash: a subquery per idea
    # costs about a second at 100,000 ideas.
    return f"""
        WITH chosen AS MATERIALIZED ({chosen_sql}),
        af AS (
            SELECT t.idea_id, {listed("f.slug", 'f."order", f.name, f.id')} AS value
            FROM {idea_fields} t JOIN {fields} f ON f.id = t.actionfield_id
            WHERE t.idea_id IN (SELECT id FROM chosen) GROUP BY t.idea_id
        ),
        iq AS (
            SELECT t.idea_id, {listed("q.code", "q.name, q.id")} AS value
            FROM {idea_quarters} t JOIN {quarters} q ON q.id = t.quarter_id
            WHERE t.idea_id IN (SELECT id FROM chosen) GROUP BY t.idea_id
        ),
        im AS (
            SELECT t.idea_id, {listed("m.slug", "m.title, m.id")} AS value
            FROM {measure_ideas} t JOIN {measures} m ON m.id = t.measure_id
            JOIN {calls} mc ON mc.id = m.call_id
            WHERE t.idea_id IN (SELECT id FROM chosen) AND m.published AND mc.published
            GROUP BY t.idea_id
        )
        SELECT {line}
        FROM chosen
        JOIN {ideas} i ON i.id = chosen.id
        JOIN {calls} c ON c.id = i.call_id
        LEFT JOIN {fields} pf ON pf.id = i.primary_field_id
        LEFT JOIN af ON af.idea_id = i.id
        LEFT JOIN iq ON iq.idea_id = i.id
        LEFT JOIN im ON im.idea_id = i.id
        ORDER BY chosen.position
    """  # noqa: S608 (table names from the models, values as parameters)


def _status_case(labels: dict[str, str]) -> tuple[str, list]:
    cases = " ".join("WHEN %s THEN %s" for _label in labels)
    params = [item for pair in labels.items() for item in pair]
    return f"(CASE i.status {cases} ELSE '' END)", params


def _joined(cells: list[str], separator: str | None = None) -> str:
    """One text of the cells (NULL as ''): concat() copies each once, where a chain of ||
    copies the growing line again at every step."""
    if separator is not None:
        cells = [part for cell in cells for part in (cell, separator)][:-1]
    return f"concat({', '.join(cells)})"


def idea_csv_pieces(
    queryset: QuerySet[Idea], *, header: str, url: tuple[str, str]
) -> Iterator[bytes]:
    """The CSV of api/exports.py `idea_csv_lines`, as bytes in pieces."""
    labels, label_params = _status_case(
        {status: spreadsheets.text(label) for status, label in german_labels(Status).items()}
    )
    chosen, chosen_params = _chosen(queryset)
    feedback = "CASE WHEN i.feedback_published_at IS NOT NULL THEN i.feedback END"
    cells = [
        "i.id",
        text("i.reference"),
        text("i.title"),
        text("i.summary"),
        text("i.description"),
        code("c.slug"),
        code("pf.slug"),
        text("pf.name"),
        code("af.value"),
        code("iq.value"),
        "CASE WHEN i.whole_city THEN 'true' ELSE 'false' END",
        "i.status",
        labels,
        text(feedback),
        spreadsheets.sql_moment("i.submitted_at"),
        "i.latitude",
        "i.longitude",
        code("im.value"),
        "i.support_count",
        "i.comment_count",
        "concat(%s, i.id, %s, chr(13), chr(10))",
    ]
    sql = _query(chosen, _joined(cells, "';'"), "string_agg({value}, ',' ORDER BY {order})")
    yield header.encode()
    yield from pg_copy.copy_out(sql, [*chosen_params, *label_params, *url], time_zone=_zone())


def _zone() -> str:
    return timezone.get_current_timezone_name()


def _json(expression: str) -> str:
    """SQL for Python's json.dumps(value, ensure_ascii=False) of a text or NULL: PostgreSQL
    escapes strings as Python does (the short escapes, \\u00XX for other control
    characters)."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _json_float(expression: str) -> str:
    """A numeric as json.dumps writes float(value): the shortest exact digits (float8's
    output), and ".0" after a whole number."""
    return (
        f"(CASE WHEN {expression} = trunc({expression}) THEN trunc({expression}) || '.0' "
        f"ELSE {expression}::float8::text END)"
    )


def idea_geojson_pieces(queryset: QuerySet[Idea], *, url: tuple[str, str]) -> Iterator[bytes]:
    """The FeatureCollection of api/exports.py `idea_geojson_pieces`, as bytes in pieces."""
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    labels, label_params = _status_case(
        {
            status: json.dumps(label, ensure_ascii=False)
            for status, label in german_labels(Status).items()
        }
    )
    chosen, chosen_params = _chosen(located)
    submitted = spreadsheets.sql_moment("i.submitted_at")
    properties = [
        ("id", "i.id"),
        ("reference", _json("i.reference")),
        ("title", _json("i.title")),
        ("summary", _json("i.summary")),
        ("call", _json("c.slug")),
        ("primary_field", _json("pf.slug")),
        ("action_fields", "coalesce(af.value, '[]')"),
        ("quarters", "coalesce(iq.value, '[]')"),
        ("status", _json("i.status")),
        ("status_label", labels),
        (
            "submitted_at",
            f"CASE WHEN i.submitted_at IS NULL THEN 'null' ELSE {_json(submitted)} END",
        ),
        ("measures", "coalesce(im.value, '[]')"),
        ("url", "to_json(concat(%s, i.id, %s))"),
    ]
    # The text of json.dumps(geo.idea_feature(...)): its key order and ", " and ": ".
    cells = [
        "CASE WHEN chosen.position = 1 THEN '' ELSE ',' END",
        """'{"type": "Feature", "id": '""",
        "i.id",
        """', "geometry": {"type": "Point", "coordinates": ['""",
        _json_float("i.longitude"),
        "', '",
        _json_float("i.latitude"),
        """']}, "properties": {'""",
    ]
    for index, (name, value) in enumerate(properties):
        cells += [f"""'{", " if index else ""}"{name}": '""", value]
    cells.append("'}}'")
    # A list as json.dumps writes it: ", " between the items.
    listed = "'[' || string_agg(to_json({value})::text, ', ' ORDER BY {order}) || ']'"
    sql = _query(chosen, _joined(cells), listed)
    yield geo.feature_collection_json_head(license=licence()).encode()
    yield from pg_copy.copy_out(sql, [*chosen_params, *label_params, *url], time_zone=_zone())
    yield b"]}"
