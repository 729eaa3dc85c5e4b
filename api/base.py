"""What every endpoint of the open-data API shares: German errors, the licence, the format
parameter, caching of JSON pages and the schema's description of lists."""

from collections.abc import Sequence

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics
from rest_framework.exceptions import APIException, NotFound, Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from halle_smartcity.page_cache import IDEAS, SITE, cached, public_cache_key

from . import exports
from .licence import LINK_HEADER
from .pagination import ApiPagination
from .serializers import ErrorSerializer

GENERIC_PARAMS = ("format", "page", "page_size")


class BadRequest(APIException):
    status_code = 400
    default_code = "bad_request"


def exception_handler(exc, context):
    """DRF's answer, with every error body carrying a `detail` string."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict | list):
        data = response.data
        if not (isinstance(data, dict) and isinstance(data.get("detail"), str)):
            response.data = {"detail": _("The request could not be processed."), "errors": data}
    return response


def error_responses(*codes: int) -> dict:
    descriptions = {
        400: "Unknown query parameter, format or filter value, or a bad page number.",
        404: "No such object, or a page past the last.",
        429: "Too many requests; the `Retry-After` header says how many seconds to wait.",
    }
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=descriptions[code])
        for code in codes
    }


FORMAT_DESCRIPTIONS = {
    "json": "json (default; lists: one page)",
    "csv": "csv (the whole filtered list, ';'-separated, UTF-8 with BOM)",
    "geojson": "geojson (the whole filtered list of what has a location)",
}


def format_parameter(formats: tuple[str, ...]) -> OpenApiParameter:
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=list(formats),
        default="json",
        description=", ".join(FORMAT_DESCRIPTIONS[name] for name in formats) + ".",
    )


class ApiMixin:
    """What every endpoint shares: the licence header, German errors, strict parameters."""

    formats: tuple[str, ...] = ("json",)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = LINK_HEADER
        return response

    def throttled(self, request, wait):
        raise Throttled(wait, detail=_("Too many requests from your address."))

    def allowed_params(self) -> list[str]:
        return ["format"]

    def check_params(self, request) -> str:
        """Refuse unknown parameters; answer the requested format."""
        allowed = self.allowed_params()
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            # Echoed back shortened: a hostile name need not be repeated at length.
            named = ", ".join(name[:50] for name in unknown[:10])
            raise BadRequest(
                _("Unknown parameter: %(unknown)s. Allowed parameters: %(allowed)s.")
                % {"unknown": named, "allowed": ", ".join(allowed)}
            )
        chosen = request.query_params.get("format") or "json"
        if chosen not in self.formats:
            raise BadRequest(
                _("Unknown format “%(format)s”. This endpoint offers: %(formats)s.")
                % {"format": chosen[:50], "formats": ", ".join(self.formats)}
            )
        return chosen


def csv_schema(header: Sequence[str]) -> dict:
    """A CSV answer as it is: one string, its columns named in the description."""
    return {
        "type": "string",
        "description": "The whole list (with the filters applied) as CSV: UTF-8 with a byte "
        "order mark, ';'-separated, CRLF line ends, a header row, then one row per object. "
        "Several values in one cell are separated by commas. Columns: " + ";".join(header) + ".",
    }


class ListSchema(AutoSchema):
    """A list endpoint answers in several formats. The JSON one is the paginated list; CSV
    and GeoJSON are the whole list, described as they are: no page wrapper around them, and
    the CSV's columns taken from the view itself (`csv_header`), so they cannot drift."""

    _whole_list = False

    def _is_list_view(self, serializer=None) -> bool:
        return self.method == "GET" and not self._whole_list

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        if not media_types or "application/json" in media_types:
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        if "text/csv" in media_types:
            serializer = csv_schema(self.view.csv_header())
        self._whole_list = True
        try:
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        finally:
            self._whole_list = False


class ApiListView(ApiMixin, generics.ListAPIView):
    schema = ListSchema()
    pagination_class = ApiPagination
    formats = ("json", "csv")
    csv_filename = "data.csv"
    paginator_class = None  # a django Paginator class; None: the plain one

    def allowed_params(self) -> list[str]:
        return list(GENERIC_PARAMS)

    # The JSON pages are kept in the page cache until public content changes (its tags), as
    # the web pages are: every client is anonymous, most ask the same.
    cache_json = True

    def list(self, request, *args, **kwargs):
        chosen = self.check_params(request)
        self.pagination_class.page_params(request)  # also where the format ignores them
        if chosen == "json" and self.cache_json and settings.MITMACHEN_PAGE_CACHE_SECONDS > 0:
            # The host too: the answers hold absolute links.
            key = public_cache_key("api", request, request.get_host())
            data = cached(key, self.cache_tags(request), lambda: self.json_page().data)
            return Response(data)
        queryset = self.filter_queryset(self.get_queryset())
        if chosen == "csv":
            return self.csv(queryset)
        if chosen == "geojson":
            return self.geojson(queryset)
        return self.json_page(queryset)

    def cache_tags(self, request) -> tuple[str, ...]:
        """What makes a cached JSON page stale (halle_smartcity/page_cache.py)."""
        return (SITE, IDEAS)

    def json_page(self, queryset=None) -> Response:
        if queryset is None:
            queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def csv(self, queryset):
        return exports.objects_csv(
            self.csv_objects(queryset), self.csv_columns(), filename=self.csv_filename
        )

    def csv_objects(self, queryset):
        # Prefetches run per chunk with an explicit chunk size.
        if hasattr(queryset, "iterator"):
            return queryset.iterator(chunk_size=exports.CHUNK)
        return queryset

    def csv_columns(self):
        raise NotImplementedError

    def csv_header(self) -> Sequence[str]:
        """The CSV's column names (also for the OpenAPI document)."""
        return [name for name, _getter in self.csv_columns()]


class ApiDetailView(ApiMixin, generics.RetrieveAPIView):
    def retrieve(self, request, *args, **kwargs):
        self.check_params(request)
        return super().retrieve(request, *args, **kwargs)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Django's message names the model in English; DRF's own is translated.
            raise NotFound() from None
