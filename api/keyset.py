"""Keyset ("cursor") pages for the list of ideas: a page is "the rows after (or before) this
row in the list's order", found through the sort order's index, so page 5,000 costs what the
first costs (an OFFSET would read and drop every row before it).

A cursor is opaque to clients: base64url of JSON `[direction, sort, key]`, where the key is
the sort column's value and the id of the row it continues from."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from ideas.filters import SORTS


def _orders() -> dict[str, tuple[str, bool]]:
    """The list's sort orders (ideas.filters.SORTS, so that the two cannot drift apart): a
    column, then the id as tie-breaker in the same direction, as (column, descending)."""
    orders = {}
    for sort, (first, tie) in SORTS.items():
        descending = first.startswith("-")
        if tie != ("-id" if descending else "id"):  # what `ordered` and `after` assume
            raise ValueError(f"The sort order {sort} has no keyset: {SORTS[sort]}")
        orders[sort] = (first.lstrip("-"), descending)
    return orders


ORDERS = _orders()
# What a key's value is in the cursor's JSON (a time is written as ISO text).
NUMERIC = {"support_count"}
NEXT, PREVIOUS = "n", "p"
MAX_CURSOR = 2000  # a title of any length the form allows fits well within


def invalid():
    return ValidationError(
        {
            "detail": _(
                "The parameter “cursor” is not valid. Use the links “next” and “previous” "
                "of an answer as they are, with the same filters and sort order."
            )
        }
    )


def encode(direction: str, sort: str, row) -> str:
    column, _descending = ORDERS[sort]
    value = getattr(row, column)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([direction, sort, [value, row.pk]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, sort: str) -> tuple[str, object, int]:
    """The direction and the key of a cursor made for `sort`; 400 for anything else."""
    if len(cursor) > MAX_CURSOR:
        raise invalid()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, made_for, (value, pk) = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise invalid() from None
    column, _descending = ORDERS[sort]
    valid = (
        direction in (NEXT, PREVIOUS)
        and made_for == sort
        and isinstance(pk, int)
        and not isinstance(pk, bool)
        and (
            isinstance(value, int) and not isinstance(value, bool)
            if column in NUMERIC
            else isinstance(value, str)
        )
    )
    if not valid:
        raise invalid()
    if column == "submitted_at":
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise invalid() from None
        if value.tzinfo is None:
            raise invalid()
    return direction, value, pk


def ordered(queryset, sort: str, direction: str):
    """The queryset in the list's order, or reversed to walk backwards."""
    column, descending = ORDERS[sort]
    backwards = direction == PREVIOUS
    prefix = "-" if descending != backwards else ""
    return queryset.order_by(f"{prefix}{column}", f"{prefix}id")


def after(queryset, sort: str, direction: str, value, pk: int):
    """The rows after the key in the direction of travel (the list's order, or backwards)."""
    column, descending = ORDERS[sort]
    lower = descending != (direction == PREVIOUS)  # walking towards smaller keys
    beyond = "lt" if lower else "gt"
    reach = "lte" if lower else "gte"
    # The plain bound on the column lets the sort order's index start at the key.
    return queryset.filter(
        Q(**{f"{column}__{beyond}": value}) | Q(**{column: value, f"id__{beyond}": pk}),
        **{f"{column}__{reach}": value},
    )
