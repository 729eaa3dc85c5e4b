"""The measures as GeoJSON: a measure's places are the locations of its published source
ideas (a MultiPoint); measures without a located idea are left out."""

from django.http import JsonResponse

from ideas.models import Idea

from .exports import url_maker
from .geojson_schema import feature_collection_schema
from .licence import licence

MEASURE_GEOJSON_SCHEMA = feature_collection_schema(
    description="A GeoJSON FeatureCollection (RFC 7946) of the published measures whose "
    "source ideas have a location, with the licence as a foreign member.",
    feature_id={"type": "string", "description": "The measure's slug."},
    geometry="MultiPoint",
    properties={
        "type": "object",
        "required": ["slug", "title", "status", "ideas", "url"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "string"},
            "ideas": {"type": "array", "items": {"type": "integer"}},
            "url": {"type": "string", "format": "uri"},
        },
    },
)


def measure_geojson(measures, request) -> JsonResponse:
    """Every published measure with located published source ideas (two queries: the list's
    prefetches of profiles and sources are not needed here)."""
    measures = list(
        measures.select_related(None)
        .prefetch_related(None)
        .only("pk", "slug", "title", "status")
    )
    located = (
        Idea.objects.published()
        .filter(measures__in=measures, latitude__isnull=False, longitude__isnull=False)
        .values_list("measures__id", "id", "longitude", "latitude")
        .order_by("id")
    )
    points: dict[int, list] = {}
    for measure_id, idea_id, longitude, latitude in located:
        points.setdefault(measure_id, []).append((idea_id, float(longitude), float(latitude)))
    url = url_maker(request, "measures:measure-detail", "slug")
    features = [
        {
            "type": "Feature",
            "id": measure.slug,
            "geometry": {
                "type": "MultiPoint",
                "coordinates": [[lon, lat] for _id, lon, lat in points[measure.pk]],
            },
            "properties": {
                "slug": measure.slug,
                "title": measure.title,
                "status": measure.status,
                "ideas": [idea_id for idea_id, _lon, _lat in points[measure.pk]],
                "url": url(measure.slug),
            },
        }
        for measure in measures
        if measure.pk in points
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "license": licence(), "features": features},
        content_type="application/geo+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
