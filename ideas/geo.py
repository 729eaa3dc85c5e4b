"""GeoJSON of published ideas: one shape for the open-data API and the map.

Coordinates follow RFC 7946: WGS 84, longitude before latitude.
"""

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


def idea_feature(idea, properties: dict) -> dict:
    """A GeoJSON Feature for an idea that has a location (the caller filters)."""
    return {
        "type": "Feature",
        "id": idea.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [float(idea.longitude), float(idea.latitude)],
        },
        "properties": properties,
    }


def feature_collection(features: Iterable[dict], **members) -> dict:
    """A FeatureCollection; extra foreign members (licence, paging) go beside "features"."""
    return {"type": "FeatureCollection", **members, "features": list(features)}


def iter_feature_collection_json(features: Iterator[str], **members) -> Iterator[str]:
    """A FeatureCollection as JSON text, piece by piece, from already encoded features,
    so a large collection streams without being held in memory."""

    yield feature_collection_json_head(**members)
    for index, feature in enumerate(features):
        yield ("," if index else "") + feature
    yield "]}"


def feature_collection_json_head(**members) -> str:
    """A FeatureCollection's JSON text up to its first feature; "]}" closes it."""
    head = json.dumps({"type": "FeatureCollection", **members}, ensure_ascii=False)
    return head[:-1] + ', "features": ['


def parse_coordinate(value, *, low: float, high: float) -> Decimal:
    """A latitude or longitude from user input, or ValueError with a message to show."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValueError(_("Enter a number such as 51.4828.")) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValueError(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return number.quantize(Decimal("0.000001"))
