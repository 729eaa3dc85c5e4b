"""The spreadsheet cells built in SQL (for files PostgreSQL writes itself with COPY) equal the
ones built in Python, value by value: the same formula guard, quoting and moments. The whole
files are compared in tests/api/test_downloads.py."""

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from halle_smartcity import spreadsheets

pytestmark = pytest.mark.django_db

# Written out rather than read from the module: a start the SQL forgets must fail here.
STARTS = ("=", "+", "-", "@", "\t", "\r")
VALUES = [
    *(f'{start}HYPERLINK("http://x";"y")' for start in STARTS),
    *(f"{start}" for start in STARTS),
    "",
    "Hallo",
    "1+1",
    "a=b",
    "'=A1",
    " =A1",
    'Sag "Hallo"',
    '"',
    "a;b",
    "Zeile\nZeile",
    "Zeile\r\nZeile",
    "Ende\r",
    "Straße, Äpfel, Öl, Übermut",
    "C:\\Pfad\\n",
    "\x01\x7f",
    "Ein 🚲 und ein ✓",
    "50%",
]


def sql_value(builder, value):
    """`builder` applied in SQL to `value` (passed as a parameter, not written into SQL)."""
    with connection.cursor() as cursor:
        sql = f"SELECT {builder('v')} FROM (SELECT %s::text AS v) AS given"  # noqa: S608
        cursor.execute(sql, [value])
        return cursor.fetchone()[0]


def test_the_sql_guard_covers_the_six_starts():
    for start in STARTS:
        assert sql_value(spreadsheets.sql_neutralised, f"{start}x") == f"'{start}x"


@pytest.mark.parametrize("value", VALUES)
def test_sql_text_writes_what_text_writes(value):
    assert sql_value(spreadsheets.sql_text, value) == spreadsheets.text(value)


@pytest.mark.parametrize("value", VALUES)
def test_sql_code_writes_what_code_writes(value):
    assert sql_value(spreadsheets.sql_code, value) == spreadsheets.code(value)


def test_null_is_written_as_python_writes_none():
    assert sql_value(spreadsheets.sql_text, None) == spreadsheets.text(None) == '""'
    assert sql_value(spreadsheets.sql_code, None) == spreadsheets.code(None) == ""


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 15, 11, 30, tzinfo=UTC),  # winter: +01:00
        datetime(2026, 7, 15, 11, 30, 5, 123456, tzinfo=UTC),  # summer, microseconds
        datetime(2026, 3, 29, 0, 59, 59, 1, tzinfo=UTC),  # a microsecond before the change
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # the hour that happens twice
        None,
    ],
)
def test_sql_moment_writes_what_cell_writes_in_the_site_time_zone(moment):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Europe/Berlin'")
        moment_sql = spreadsheets.sql_moment("m")
        sql = f"SELECT {moment_sql} FROM (SELECT %s::timestamptz AS m) AS given"  # noqa: S608
        cursor.execute(sql, [moment])
        written = cursor.fetchone()[0]
        transaction.set_rollback(True)
    assert written == spreadsheets.cell(moment)
