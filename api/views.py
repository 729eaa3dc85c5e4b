"""The read-only open-data API: published content only, no login, no personal data.

Every answer carries the licence (a `Link` header, and in lists a `license` member). Bad
input (an unknown parameter, format, filter value or page) is answered with 400 or 404 and a
`detail` in German (English with `Accept-Language: en`), never with a 500.
"""

from typing import ClassVar

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters import ChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from events import selectors as event_selectors
from events.models import Event
from fields.models import ActionField, Quarter
from halle_smartcity.page_cache import SITE, cache_public_page, fragments_each
from halle_smartcity.pagination import CachedCountPaginator
from ideas import page_tags
from ideas import selectors as idea_selectors
from ideas.filters import IdeaFilter
from ideas.models import PUBLIC_STATUSES, Idea
from measures import selectors as measure_selectors
from measures.models import Measure, MeasureIdea

from . import exports, measure_geo
from .base import (
    GENERIC_PARAMS,
    ApiDetailView,
    ApiListView,
    ApiMixin,
    error_responses,
    format_parameter,
)
from .licence import LINK_HEADER, licence
from .pagination import ApiPagination, KeysetPagination
from .serializers import (
    CallSerializer,
    EventSerializer,
    FieldSerializer,
    IdeaSerializer,
    MeasureSerializer,
    QuarterSerializer,
)

# --- Ideas -----------------------------------------------------------------------------------


class ApiIdeaFilter(IdeaFilter):
    """The web list's filters, plus whether an idea has a location."""

    has_location = ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_location",
        label="has_location",
    )

    def filter_location(self, queryset, name, value):
        located = Q(latitude__isnull=False, longitude__isnull=False)
        return queryset.filter(located) if value == "true" else queryset.exclude(located)


class GermanFilterBackend(DjangoFilterBackend):
    """An invalid filter value is a 400 naming the parameter, in the client's language."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(str(message) for message in messages)}"
                for name, messages in filterset.errors.items()
            )
            raise ValidationError(
                {
                    "detail": _("Invalid filter value. %(problems)s") % {"problems": problems},
                    "errors": filterset.errors,
                }
            )
        return filterset.qs


# What the list's sort orders and keyset cursors read (ideas.filters.SORTS, api/keyset.py).
PAGE_KEYS = ("id", "submitted_at", "title", "support_count")


def _ideas_for_page():
    """Published ideas with what the JSON shows, and nothing else (no author is read)."""
    return (
        Idea.objects.published()
        .select_related("call", "primary_field")
        .only(*exports.IDEA_FIELDS)
        .prefetch_related(
            Prefetch("action_fields", queryset=ActionField.objects.only("slug", "name")),
            Prefetch("quarters", queryset=Quarter.objects.only("code", "name")),
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(published=True, call__published=True)
                .only("slug", "title")
                .order_by("title"),
                to_attr="public_measures",
            ),
        )
    )


_IDEA_LIST_SCHEMA = extend_schema(
    summary="Published ideas",
    description="Published ideas, filtered like the web list. `format=csv` and "
    "`format=geojson` return the whole filtered list (not one page), streamed.",
    parameters=[
        format_parameter(("json", "csv", "geojson")),
        OpenApiParameter(
            "has_location",
            OpenApiTypes.STR,
            enum=["true", "false"],
            description="Only ideas with (true) or without (false) a location.",
        ),
    ],
    responses={
        (200, "application/json"): OpenApiResponse(
            IdeaSerializer(many=True),
            description="One page of ideas (JSON, the default); with `format=csv` the whole "
            "filtered list as CSV, with `format=geojson` as a GeoJSON FeatureCollection.",
        ),
        (200, "text/csv"): OpenApiTypes.STR,
        (200, "application/geo+json"): exports.IDEA_GEOJSON_SCHEMA,
        **error_responses(400, 404, 429),
    },
)


@_IDEA_LIST_SCHEMA
class IdeaList(ApiListView):
    serializer_class = IdeaSerializer
    filter_backends = [GermanFilterBackend]
    filterset_class = ApiIdeaFilter
    formats = ("json", "csv", "geojson")
    pagination_class = KeysetPagination
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        if self.request.query_params.get("format") in ("csv", "geojson"):
            # The streams read plain values; related objects are read per chunk.
            return Idea.objects.published()
        # A page is chosen by the sort keys alone; its ideas' JSON comes from `json_page`.
        return Idea.objects.published().only(*PAGE_KEYS)

    def json_page(self, queryset=None) -> Response:
        """One page: each idea's JSON cached on its own under its tag (it shows the idea and
        the names of its fields, quarters and measures: `site`), so a page serialises only
        the ideas changed since any page showed them. Per host: the JSON holds absolute links."""
        if queryset is None:
            queryset = self.filter_queryset(self.get_queryset())
        # Rows with their sort keys, or the numbers of a ranked search's page.
        pks = [getattr(row, "pk", row) for row in self.paginate_queryset(queryset)]

        def serialise(missing: list[int]) -> dict[int, dict]:
            ideas = _ideas_for_page().filter(pk__in=missing).order_by()
            return {item["id"]: dict(item) for item in self.get_serializer(ideas, many=True).data}

        items = fragments_each(f"api-idea:{self.request.get_host()}", pks, serialise, tags=(SITE,))
        # An idea unpublished between the two queries is left out.
        return self.get_paginated_response([items[pk] for pk in pks if pk in items])

    def allowed_params(self) -> list[str]:
        return [*ApiIdeaFilter.base_filters, *GENERIC_PARAMS, "cursor"]

    def cache_tags(self, request) -> tuple[str, ...]:
        # The web list's filters: filtered to a quarter, stale only with ideas in it.
        return page_tags.list_tags(request)

    def csv(self, queryset):
        return exports.idea_csv(queryset, self.request, filename="ideen.csv")

    def csv_header(self) -> list[str]:
        return exports.IDEA_COLUMNS

    def geojson(self, queryset):
        return exports.idea_geojson(queryset, self.request)


@extend_schema(
    summary="One published idea",
    parameters=[format_parameter(("json",))],
    responses={200: IdeaSerializer, **error_responses(400, 404, 429)},
)
class IdeaDetail(ApiDetailView):
    serializer_class = IdeaSerializer

    def get_queryset(self):
        return _ideas_for_page()


# --- Calls, fields, quarters, measures, events ----------------------------------------------


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _list_schema(summary: str, serializer, description: str = "", geojson=None):
    geo = {(200, "application/geo+json"): geojson} if geojson else {}
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[format_parameter(("json", "csv", "geojson") if geojson else ("json", "csv"))],
        responses={
            (200, "application/json"): OpenApiResponse(
                serializer(many=True),
                description="One page (JSON, the default); with `format=csv` the whole list "
                "as CSV" + (", with `format=geojson` as GeoJSON." if geojson else "."),
            ),
            (200, "text/csv"): OpenApiTypes.STR,
            **geo,
            **error_responses(400, 404, 429),
        },
    )


@_list_schema("Published calls", CallSerializer)
class CallList(ApiListView):
    serializer_class = CallSerializer
    csv_filename = "aufrufe.csv"

    def get_queryset(self):
        return idea_selectors.call_list_public().prefetch_related("extensions")

    def csv_columns(self):
        url = exports.url_maker(self.request, "ideas:call-detail", "slug")
        return [
            ("slug", lambda call: call.slug),
            ("title", lambda call: call.title),
            ("teaser", lambda call: call.teaser),
            ("opens_at", lambda call: _iso(call.opens_at)),
            ("closes_at", lambda call: _iso(call.closes_at)),
            ("deadline", lambda call: _iso(call.deadline)),
            ("is_open", lambda call: "true" if call.is_open() else "false"),
            ("extensions", lambda call: len(call.extensions.all())),
            ("url", lambda call: url(call.slug)),
        ]


@_list_schema(
    "Active action fields",
    FieldSerializer,
    "With the number of published ideas tagged with each field, as on the home and statistics "
    "pages and as `/api/v1/ideas/?field=<slug>` counts them. An idea in several fields counts "
    "in each, so the numbers can add up to more than the number of ideas.",
)
class FieldList(ApiListView):
    serializer_class = FieldSerializer
    csv_filename = "handlungsfelder.csv"

    def get_queryset(self):
        return idea_selectors.field_counts()

    def csv_columns(self):
        return [
            ("slug", lambda field: field.slug),
            ("name", lambda field: field.name),
            ("description", lambda field: field.description),
            ("colour", lambda field: field.colour),
            ("order", lambda field: field.order),
            ("idea_count", lambda field: field.idea_count),
        ]


@_list_schema("Quarters", QuarterSerializer, "With the number of published ideas naming each.")
class QuarterList(ApiListView):
    serializer_class = QuarterSerializer
    csv_filename = "stadtteile.csv"

    def get_queryset(self):
        published = Q(ideas__status__in=PUBLIC_STATUSES, ideas__call__published=True)
        # A quarter a new list of quarters retired stays while published ideas name it, so
        # the counts add up to what the ideas and the statistics page say.
        return (
            Quarter.objects.select_related("district")
            .annotate(idea_count=Count("ideas", filter=published))
            .filter(Q(active=True) | Q(idea_count__gt=0))
            .order_by("name", "id")
        )

    def csv_columns(self):
        return [
            ("code", lambda quarter: quarter.code),
            ("name", lambda quarter: quarter.name),
            ("district", lambda quarter: quarter.district.name),
            ("kind", lambda quarter: quarter.kind),
            ("part_of", lambda quarter: quarter.part_of),
            ("active", lambda quarter: "true" if quarter.active else "false"),
            ("idea_count", lambda quarter: quarter.idea_count),
        ]


@_list_schema(
    "Published measures",
    MeasureSerializer,
    "With `format=geojson`: the measures whose source ideas have a location, at those places.",
    geojson=measure_geo.MEASURE_GEOJSON_SCHEMA,
)
class MeasureList(ApiListView):
    serializer_class = MeasureSerializer
    csv_filename = "massnahmen.csv"
    formats = ("json", "csv", "geojson")

    def geojson(self, queryset):
        return measure_geo.measure_geojson(queryset, self.request)

    def get_queryset(self):
        return (
            measure_selectors.measures_public()
            .prefetch_related(
                Prefetch("action_fields", queryset=ActionField.objects.only("slug", "name")),
                Prefetch("quarters", queryset=Quarter.objects.only("code", "name")),
                Prefetch(
                    "ideas",
                    queryset=Idea.objects.published().only("id").order_by("id"),
                    to_attr="public_ideas",
                ),
                Prefetch(
                    "sources",
                    queryset=MeasureIdea.objects.filter(idea__in=Idea.objects.published())
                    .select_related("idea")
                    .only("idea_id", "measure_id", "contribution", "idea__reference")
                    .order_by("idea_id"),
                    to_attr="public_sources",
                ),
                "milestones",
                "indicators",
                "updates",
            )
            .order_by("title", "id")
        )

    def csv_columns(self):
        url = exports.url_maker(self.request, "measures:measure-detail", "slug")
        return [
            ("slug", lambda measure: measure.slug),
            ("title", lambda measure: measure.title),
            ("description", lambda measure: measure.description),
            ("call", lambda measure: measure.call.slug),
            (
                "action_fields",
                lambda measure: ",".join(field.slug for field in measure.action_fields.all()),
            ),
            (
                "quarters",
                lambda measure: ",".join(quarter.code for quarter in measure.quarters.all()),
            ),
            ("goal", lambda measure: measure.goal),
            ("lead_department", lambda measure: measure.lead_department),
            ("partners", lambda measure: "; ".join(measure.partner_list)),
            ("cost_range", lambda measure: measure.cost_range),
            ("funding", lambda measure: measure.funding),
            ("status", lambda measure: measure.status),
            ("status_changed_at", lambda measure: _iso(measure.status_changed_at)),
            ("ideas", lambda measure: ",".join(str(idea.pk) for idea in measure.public_ideas)),
            ("url", lambda measure: url(measure.slug)),
        ]


@_list_schema("Public events", EventSerializer, "Past and upcoming, soonest first.")
class EventList(ApiListView):
    serializer_class = EventSerializer
    csv_filename = "veranstaltungen.csv"
    cache_json = False  # which events are upcoming changes with the clock

    def get_queryset(self):
        return (
            event_selectors.feed_events()
            .select_related("call")
            .prefetch_related(
                Prefetch("action_fields", queryset=ActionField.objects.only("slug", "name")),
                Prefetch("quarters", queryset=Quarter.objects.only("code", "name")),
            )
        )

    def csv_columns(self):
        url = exports.url_maker(self.request, "events:event-detail", "slug")

        def call(event: Event) -> str:
            return event.call.slug if event.call and event.call.published else ""

        return [
            ("slug", lambda event: event.slug),
            ("title", lambda event: event.title),
            ("kind", lambda event: event.kind),
            ("format", lambda event: event.format),
            ("summary", lambda event: event.summary),
            ("starts_at", lambda event: _iso(event.starts_at)),
            ("ends_at", lambda event: _iso(event.ends_at)),
            ("venue_name", lambda event: event.venue_name),
            ("venue_address", lambda event: event.venue_address),
            ("capacity", lambda event: "" if event.capacity is None else event.capacity),
            ("registration_enabled", lambda event: str(event.registration_enabled).lower()),
            ("cancelled", lambda event: str(event.cancelled_at is not None).lower()),
            ("call", call),
            (
                "action_fields",
                lambda event: ",".join(field.slug for field in event.action_fields.all()),
            ),
            (
                "quarters",
                lambda event: ",".join(quarter.code for quarter in event.quarters.all()),
            ),
            ("url", lambda event: url(event.slug)),
        ]


# --- Index, schema, unknown addresses, documentation ----------------------------------------


@extend_schema(exclude=True)
class ApiRoot(ApiMixin, APIView):
    def get(self, request):
        self.check_params(request)

        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "documentation": link("api:docs"),
                "schema": link("api:schema"),
                "license": licence(),
                "endpoints": {
                    name: link(f"api:{name}-list")
                    for name in ("idea", "call", "field", "quarter", "measure", "event")
                },
            }
        )


@extend_schema(exclude=True)
class SchemaView(ApiMixin, SpectacularJSONAPIView):
    # Generating the schema takes a noticeable moment and it changes only with the code:
    # each process keeps what it generated, per language and host.
    _generated: ClassVar[dict] = {}

    def get(self, request, *args, **kwargs):
        key = (get_language(), request.get_host())
        if key not in self._generated:
            self._generated[key] = super().get(request, *args, **kwargs).data
        return Response(self._generated[key])


@extend_schema(exclude=True)
class NotFoundView(ApiMixin, APIView):
    def get(self, request, *args, **kwargs):
        # The catch-all would keep APPEND_SLASH from redirecting /api/v1/ideas.
        if not request.path_info.endswith("/"):
            try:
                match = resolve(request.path_info + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != "not-found":
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
        raise NotFound(
            _("There is no such address in the API. The endpoints are listed at %(url)s.")
            % {"url": request.build_absolute_uri(reverse("api:root"))}
        )


@cache_public_page(tags=(SITE,))
def docs(request):
    response = render(
        request,
        "api/docs.html",
        {
            "base": request.build_absolute_uri("/")[:-1],
            "licence": licence(),
            "rate": _rate(),
            "page_size": ApiPagination.page_size,
            "max_page_size": ApiPagination.max_page_size,
        },
    )
    response["Link"] = LINK_HEADER
    return response


def _rate() -> dict | None:
    """The rate limit for people: {"count": 120, "unit": "minute"}, or None when off."""
    rate = settings.MITMACHEN_API_RATE
    if not rate:
        return None
    count, period = rate.split("/")
    units = {"s": _("second"), "m": _("minute"), "h": _("hour"), "d": _("day")}
    return {"count": int(count), "unit": units[period[0]]}
