"""The map of ideas and the quarters' boundaries it draws.

The map is supplementary: the same page lists the ideas by quarter without JavaScript, and
tiles from another host load only after the visitor agrees (static/js/map.js).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from fields.boundaries import quarter_boundaries
from fields.models import Quarter
from halle_smartcity.page_cache import SITE, cache_public_page

from . import page_tags, selectors
from .filters import SORTS, IdeaFilter
from .geo import feature_collection
from .map_data import (
    MapParameterError,
    map_overview,
    marker_features,
    markers_for_box,
    parse_box,
    parse_idea,
    parse_zoom,
)
from .maps import map_config, tile_host
from .views import idea_filter_from

# The list by quarter under the map names the newest ideas only; the list view has them all.
MAP_LIST_LIMIT = 100


def _by_quarter(ideas, overview: dict) -> list[tuple[Quarter | None, int, list]]:
    """Each quarter with ideas: its number of ideas and those of them among `ideas` (an idea
    in several quarters appears in each); ideas for the whole city or without a quarter last."""
    quarters = Quarter.objects.filter(pk__in=overview["by_quarter"]).order_by("name")
    listed: dict = {}
    for idea in ideas:
        for quarter in idea.quarters.all() or [None]:
            listed.setdefault(quarter.pk if quarter else None, []).append(idea)
    groups = [
        (quarter, overview["by_quarter"][quarter.pk]["count"], listed.get(quarter.pk, []))
        for quarter in quarters
    ]
    if overview["without_quarter"]:
        groups.append((None, overview["without_quarter"], listed.get(None, [])))
    return groups


def _quarter_places(groups, overview: dict) -> list[dict]:
    # Where the map writes a quarter's name when there are no outlines: its ideas' middle.
    return [
        {
            "name": quarter.name,
            "latitude": overview["by_quarter"][quarter.pk]["latitude"],
            "longitude": overview["by_quarter"][quarter.pk]["longitude"],
        }
        for quarter, _count, _ideas in groups
        if quarter is not None
    ]


@cache_public_page(tags=page_tags.list_tags)
def idea_map(request):
    """The map page: the filters, the list by quarter (the newest ideas) and what the map
    needs to start; the markers come from `idea_map_markers` for the area shown."""
    idea_filter = idea_filter_from(request, selectors.idea_map_public())
    queryset = idea_filter.qs
    overview = map_overview(queryset)
    ideas = list(queryset.order_by(*SORTS["newest"])[:MAP_LIST_LIMIT])
    groups = _by_quarter(ideas, overview)
    query = request.GET.copy()
    query.pop("page", None)
    # The markers' endpoint gets only the filters that were understood.
    filters = {
        name: value
        for name, value in idea_filter.data.items()
        if value and name in ("q", "call", "field", "quarter", "status")
    }
    markers_url = reverse("ideas:idea-map-markers")
    return render(
        request,
        "ideas/idea_map.html",
        {
            "filter": idea_filter,
            "total": overview["total"],
            "listed": len(ideas),
            "list_capped": overview["total"] > len(ideas),
            "groups": groups,
            "map_data": {
                "markersUrl": markers_url,
                "filters": filters,
                "bounds": overview["bounds"],
                "quarters": _quarter_places(groups, overview),
            },
            "map_config": map_config(),
            "tile_host": tile_host(),
            "query": query.urlencode(),
        },
    )


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@cache_public_page(tags=page_tags.list_tags)
def idea_map_markers(request):
    """The markers for the box the map shows (`bbox=west,south,east,north`, `zoom`), with the
    list's filters: single ideas, or groups with their count at low zoom (ideas/map_data.py).
    With `idee=<pk>` only that idea's marker (where the map opens for a link from its page).
    A bad box or zoom: 400 with a sentence saying what is wrong."""
    if "idee" in request.GET:
        try:
            pk = parse_idea(request.GET["idee"])
        except MapParameterError as error:
            return _bad_request(str(error))
        ideas = selectors.idea_map_public().filter(pk=pk)
        return JsonResponse(feature_collection(marker_features(ideas)))
    try:
        box = parse_box(request.GET.get("bbox"))
        zoom = parse_zoom(request.GET.get("zoom"))
    except MapParameterError as error:
        return _bad_request(str(error))
    idea_filter = IdeaFilter(request.GET, queryset=selectors.idea_map_public())
    if not idea_filter.is_valid():
        # As on the page: a filter not understood is left out, the others apply.
        data = request.GET.copy()
        for name in idea_filter.errors:
            data.pop(name, None)
        idea_filter = IdeaFilter(data, queryset=selectors.idea_map_public())
    result = markers_for_box(idea_filter.qs, box, zoom)
    return JsonResponse(
        feature_collection(
            result["markers"],
            total=result["total"],
            capped=result["capped"],
            clusters=result["clusters"],
        )
    )


@cache_public_page(tags=(SITE,))
def quarter_boundaries_geojson(request):
    """The quarters' boundaries as GeoJSON, with the quarters' names from the database.
    Without a usable file: an empty FeatureCollection (the map simply draws no outlines)."""
    data = quarter_boundaries()
    names = dict(Quarter.objects.filter(active=True).values_list("code", "name"))
    features = [
        {
            **feature,
            "properties": {
                **feature["properties"],
                "name": names.get(feature["properties"]["code"])
                or feature["properties"].get("name", ""),
            },
        }
        for feature in data["features"]
    ]
    response = JsonResponse(feature_collection(features))
    response["Content-Type"] = "application/geo+json"
    return response
