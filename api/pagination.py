"""Page-number pagination with strict, German answers to bad input; for the list of ideas
also keyset pages (`cursor`, api/keyset.py), which its links follow.

A page number or size that is not a whole number in range is refused with 400 (rather than
silently replaced by the default): a script that asks for 100,000 rows a page should learn
that it gets at most 500, not receive 50 and believe it has everything.
"""

import re

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from halle_smartcity.pagination import CachedCountPaginator
from ideas import similarity_search

from . import keyset
from .licence import licence

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Long enough for any real page, short enough to stay a cheap integer.
_DIGITS = re.compile(r"^[0-9]{1,18}$")
MAX_PAGE = 10**18 - 1


def _whole_number(request, name: str, *, default: int, high: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = int(raw) if _DIGITS.match(raw) else 0
    if value < 1 or (high is not None and value > high):
        if high is None:
            message = _("The parameter “%(name)s” must be a whole number from 1 upwards.")
        else:
            message = _("The parameter “%(name)s” must be a whole number from 1 to %(high)d.")
        raise ValidationError({"detail": message % {"name": name, "high": high or 0}})
    return value


class ApiPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Plain Paginator for the short vocabularies; lists of ideas cache their total.
    django_paginator_class = Paginator

    @classmethod
    def page_params(cls, request) -> tuple[int, int]:
        """The page size and number asked for; 400 for anything but whole numbers in range,
        also where the format (CSV, GeoJSON) answers the whole list and ignores them."""
        size = _whole_number(request, "page_size", default=cls.page_size, high=MAX_PAGE_SIZE)
        return size, _whole_number(request, "page", default=1)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        # Checked before anything is counted, so that bad input costs no query.
        size, number = self.page_params(request)
        paginator = self.django_paginator(queryset, size, request, view)
        if number > paginator.num_pages:
            raise NotFound(
                _("There is no page %(number)d; the last page is %(last)d.")
                % {"number": number, "last": paginator.num_pages}
            )
        self.page = paginator.page(number)
        return list(self.page)

    def django_paginator(self, queryset, size, request, view):
        paginator_class = getattr(view, "paginator_class", None) or self.django_paginator_class
        if issubclass(paginator_class, CachedCountPaginator):
            # The total is cached until a change to what the page shows (its tags).
            return paginator_class(queryset, size, tags=view.cache_tags(request))
        return paginator_class(queryset, size)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "page": self.page.number,
                "page_size": paginator.per_page,
                "num_pages": paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "license": licence(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [
                "count",
                "page",
                "page_size",
                "num_pages",
                "next",
                "previous",
                "license",
                "results",
            ],
            "properties": {
                "count": {"type": "integer", "example": 85},
                "page": {"type": "integer", "example": 1},
                "page_size": {"type": "integer", "example": DEFAULT_PAGE_SIZE},
                "num_pages": {"type": "integer", "example": 2},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "license": LICENCE_SCHEMA,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


LICENCE_SCHEMA = {
    "type": "object",
    "required": ["name", "url", "attribution"],
    "properties": {
        "name": {"type": "string", "example": "CC BY 4.0"},
        "url": {"type": "string", "format": "uri"},
        "attribution": {"type": "string", "example": "Musterstadt"},
    },
}


class KeysetPagination(ApiPagination):
    """Page numbers where a client asks for one (`page`); otherwise keyset pages: the first
    page, then `cursor` from the links `next` and `previous`, so that a client walking the
    whole list pays the same for its last page as for its first. The answer's `page` is null
    on a page reached by cursor (1 on the first)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        cursor = params.get("cursor") or ""
        if params.get("page") not in (None, ""):
            if cursor:
                raise ValidationError({"detail": _("Give either “page” or “cursor”, not both.")})
            self.keyset = None
            return super().paginate_queryset(queryset, request, view)
        if "-search_rank" in queryset.query.order_by:
            # A search without a sort order is ranked by relevance, which has no key to
            # continue from: page numbers, as the links of such an answer say.
            if cursor:
                raise keyset.invalid()
            self.keyset = None
            # The ranking is computed once per search (similarity_search.ranked_ids): numbers.
            ranked = similarity_search.ranked_ids(queryset)
            return super().paginate_queryset(ranked, request, view)
        self.request = request
        size, _number = self.page_params(request)
        self.paginator = self.django_paginator(queryset, size, request, view)
        sort = params.get("sort") or "newest"  # the filter has refused any other value
        direction, from_key = keyset.NEXT, False
        if cursor:
            direction, value, pk = keyset.decode(cursor, sort)
            queryset, from_key = keyset.after(queryset, sort, direction, value, pk), True
        rows = list(keyset.ordered(queryset, sort, direction)[: size + 1])
        more = len(rows) > size  # a row beyond the page in the direction of travel
        rows = rows[:size]
        forward = direction == keyset.NEXT
        if not forward:
            rows.reverse()
        has_next = more if forward else True
        has_previous = from_key if forward else more
        self.keyset = {
            "first": not has_previous,
            "next": keyset.encode(keyset.NEXT, sort, rows[-1]) if rows and has_next else None,
            "previous": (
                keyset.encode(keyset.PREVIOUS, sort, rows[0]) if rows and has_previous else None
            ),
        }
        return rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "cursor", cursor)

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.paginator.count,
                "page": 1 if self.keyset["first"] else None,
                "page_size": self.paginator.per_page,
                "num_pages": self.paginator.num_pages,
                "next": self._link(self.keyset["next"]),
                "previous": self._link(self.keyset["previous"]),
                "license": licence(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["page"] = {
            "type": "integer",
            "nullable": True,
            "example": 1,
            "description": "The page number; null on a page reached by `cursor`.",
        }
        return answer

    def get_schema_operation_parameters(self, view):
        page, size = super().get_schema_operation_parameters(view)
        page["description"] += " Not together with `cursor`."
        cursor = {
            "name": "cursor",
            "required": False,
            "in": "query",
            "description": "Where a page continues: taken from the `next` or `previous` link "
            "of an answer (with the same filters and sort order). Without `page` and "
            "`cursor` the answer is the first page, and its links carry a cursor: every page "
            "reached that way costs the same, however deep.",
            "schema": {"type": "string", "maxLength": keyset.MAX_CURSOR},
        }
        return [page, size, cursor]
