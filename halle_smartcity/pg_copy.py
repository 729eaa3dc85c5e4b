"""Large downloads written by PostgreSQL: `COPY (query) TO STDOUT`, streamed.

The query selects one text column: each row's finished bytes (a CSV line, a GeoJSON
feature), built in SQL. COPY's own CSV writer is not used: it ends lines with LF where our
files end them with CRLF, and a LF inside a quoted text cannot be told from a line end
afterwards. In binary format a text column arrives as its bytes in the client encoding
(UTF-8), without COPY's text escaping, so the rows are joined, never parsed or decoded.
"""

from collections.abc import Iterator, Sequence
from itertools import batched

from django.db import connection, transaction

ROWS_PER_PIECE = 500

# For the one statement only (rolled back with it):
# - JIT compiling a plan of this size costs about a second, more than it saves on it;
# - the time zone in which `spreadsheets.sql_moment` writes moments;
# - float8 written with the shortest exact digits, as Python's repr (PostgreSQL's default).
_SETTINGS = (
    "SELECT set_config('jit', 'off', true), set_config('TimeZone', %s, true), "
    "set_config('extra_float_digits', '1', true)"
)


def copy_out(
    sql: str, params: Sequence = (), *, time_zone: str, rows_per_piece: int = ROWS_PER_PIECE
) -> Iterator[bytes]:
    """The bytes of the one text column of `sql` row after row, in pieces of
    `rows_per_piece` rows. A constant number of statements, memory bounded by a piece.
    Runs in a transaction that is rolled back (it only reads), so its settings end with it;
    stopping early (a client that went away) cancels the statement."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SETTINGS, [time_zone])
        # COPY takes no parameters: they are bound here, by the driver's own quoting.
        statement = connection.ops.compose_sql(
            f"COPY ({sql}) TO STDOUT (FORMAT binary)", list(params)
        )
        with cursor.copy(statement) as copy:
            # bytea's loader hands a column's binary value over as bytes, unchanged: for a
            # text column that is its UTF-8.
            copy.set_types(["bytea"])
            for rows in batched(copy.rows(), rows_per_piece):
                yield b"".join([row[0] for row in rows])
        transaction.set_rollback(True)
