"""Every file the product offers for a spreadsheet (CSV and XLSX) is written here, and every
text cell passes `neutralise` on the way: a cell that starts with =, +, -, @, a tab or a
carriage return would run as a formula in Excel or LibreOffice (CSV injection), so it is
written with a leading apostrophe instead. Numbers stay numbers.

CSV: UTF-8 with a byte order mark and ";" between cells, as German spreadsheet programs
expect; every text is quoted (RFC 4180), which is also four times faster than the csv module's
scan of each character for whether quotes are needed (it counts at 100,000 rows).

Large CSV files may be written by PostgreSQL itself (COPY): `sql_text`, `sql_code` and
`sql_moment` build in SQL the cells that `text`, `code` and `cell` build in Python, with the
same guard (`sql_neutralised` is built from FORMULA_STARTS): one guard and one quoting rule,
written in both languages, and tests compare the two byte for byte.
"""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
SEPARATOR = ";"
ROWS_PER_PIECE = 200
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    """A text a spreadsheet would run as a formula, made plain text."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text(value: str | None) -> str:
    """A CSV cell of free text: neutralised and quoted."""
    if not value:
        return '""'
    return '"' + neutralise(value).replace('"', '""') + '"'


SPECIAL = (";", '"', "\r", "\n")


def code(value: str | None) -> str:
    """A CSV cell of the site's own machine values (slugs, codes, ISO dates, lists of slugs
    joined by commas): unquoted, neutralised like any text. A value that holds a separator,
    a quote or a line break after all (a quarter code is free text) is quoted as text."""
    if not value:
        return ""
    if any(special in value for special in SPECIAL):
        return text(value)
    return neutralise(value)


def cell(value) -> str:
    """Any value as a CSV cell: text neutralised and quoted, numbers as they are, moments in
    the site's time zone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return text(str(value))


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text in pieces of a few hundred rows."""
    yield BOM + SEPARATOR.join(text(str(name)) for name in header) + "\r\n"
    buffer = []
    for row in rows:
        buffer.append(SEPARATOR.join([cell(value) for value in row]) + "\r\n")
        if len(buffer) >= ROWS_PER_PIECE:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_response(
    header: Iterable[str], rows: Iterable[Iterable], *, filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download of `rows` under `header`."""
    return csv_stream_response(csv_lines(header, rows), filename=filename)


def csv_stream_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download of lines already built from `text`, `code` and `cell` (for
    exports that assemble their rows themselves for speed)."""
    response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The same cells in SQL (PostgreSQL) ---------------------------------------------------------
# Builders of SQL expressions from SQL expressions: callers pass column references or other
# SQL of their own, never user input. No "%" is written, so the SQL may go through a driver's
# parameter substitution.

_SQL_STARTS = ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS)


def sql_neutralised(expression: str) -> str:
    """SQL for `neutralise(expression)`."""
    return (
        f"(CASE WHEN left({expression}, 1) IN ({_SQL_STARTS}) "
        f"THEN '''' || {expression} ELSE {expression} END)"
    )


def sql_text(expression: str) -> str:
    """SQL for `text(expression)`: neutralised and quoted; NULL and '' give two quotes."""
    value = sql_neutralised(f"coalesce({expression}, '')")
    return f"""('"' || replace({value}, '"', '""') || '"')"""


def sql_code(expression: str) -> str:
    """SQL for `code(expression)`: neutralised, quoted only when it holds a separator, a quote
    or a line break; NULL and '' give ''."""
    value = f"coalesce({expression}, '')"
    special = " OR ".join(f"strpos({value}, chr({ord(char)})) > 0" for char in SPECIAL)
    return (
        f"(CASE WHEN {value} = '' THEN '' WHEN {special} THEN {sql_text(value)} "
        f"ELSE {sql_neutralised(value)} END)"
    )


def sql_moment(expression: str) -> str:
    """SQL for `cell(moment)` of a timestamptz in the session's time zone (set it to the
    site's, as halle_smartcity.pg_copy does), '' for NULL: ISO 8601 with the microseconds only
    when there are any, as Python writes it. (An offset with seconds, local mean time before
    1893, would lose them.)"""
    written = f"""to_char({expression}, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM')"""
    return f"coalesce(replace({written}, '.000000', ''), '')"


def xlsx_value(value):
    """A value as an XLSX cell: text neutralised, everything else as it is (openpyxl writes
    numbers and moments as such; a moment without its time zone, in the site's)."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_response(
    header: Iterable[str], rows: Iterable[Iterable], *, filename: str, sheet: str
) -> FileResponse:
    """An XLSX download, written in openpyxl's write-only mode to a temporary file (bounded
    memory)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])  # Excel's limit for sheet names
    worksheet.append([xlsx_value(str(name)) for name in header])
    for row in rows:
        worksheet.append([xlsx_value(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
