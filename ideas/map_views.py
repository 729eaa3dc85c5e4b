"""The map of ideas and the quarters' boundaries it draws.

The map is supplementary: the same page lists the ideas by quarter without JavaScript, and
tiles from another host load only after the visitor agrees (static/js/map.js).
"""

from django.http import JsonResponse
from django.shortcuts import render

from fields.boundaries import quarter_boundaries
from fields.models import Quarter
from halle_smartcity.page_cache import SITE, cache_public_page

from . import page_tags, selectors
from .filters import SORTS
from .geo import feature_collection, idea_feature
from .maps import map_config, tile_host
from .views import idea_filter_from

# Enough for a city's call; beyond it the page would grow slow, so the newest are shown.
MAP_MARKER_LIMIT = 2000


def _marker_properties(idea) -> dict:
    # Public data only: never the author or the submitter.
    return {
        "title": idea.title,
        "reference": idea.reference,
        "url": idea.get_absolute_url(),
        "field": idea.primary_field.name if idea.primary_field else "",
        "status": idea.get_status_display(),
        # Where the map writes the quarters' names when it has no outlines of them.
        "quarters": [quarter.name for quarter in idea.quarters.all()],
    }


def _by_quarter(ideas) -> list[tuple[Quarter | None, list]]:
    """The ideas grouped by quarter (an idea in several quarters appears in each); ideas for
    the whole city or without a quarter come last."""
    groups: dict = {}
    for idea in ideas:
        for quarter in idea.quarters.all() or [None]:
            groups.setdefault(quarter, []).append(idea)
    return sorted(
        groups.items(), key=lambda item: (item[0] is None, item[0].name if item[0] else "")
    )


@cache_public_page(tags=page_tags.list_tags)
def idea_map(request):
    idea_filter = idea_filter_from(request, selectors.idea_map_public())
    queryset = idea_filter.qs
    total = queryset.order_by().count()
    ideas = list(queryset.order_by(*SORTS["newest"])[:MAP_MARKER_LIMIT])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/idea_map.html",
        {
            "filter": idea_filter,
            "ideas": ideas,
            "total": total,
            "shown": len(ideas),
            "capped": total > len(ideas),
            "groups": _by_quarter(ideas),
            "markers": feature_collection(
                idea_feature(idea, _marker_properties(idea)) for idea in ideas
            ),
            "map_config": map_config(),
            "tile_host": tile_host(),
            "query": query.urlencode(),
        },
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
