"""Page-number pagination with strict, German answers to bad input.

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
        paginator_class = getattr(view, "paginator_class", None) or self.django_paginator_class
        paginator = paginator_class(queryset, size)
        if number > paginator.num_pages:
            raise NotFound(
                _("There is no page %(number)d; the last page is %(last)d.")
                % {"number": number, "last": paginator.num_pages}
            )
        self.page = paginator.page(number)
        return list(self.page)

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
