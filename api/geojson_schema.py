"""The OpenAPI schema of a GeoJSON FeatureCollection as the API writes it (by hand, not by a
serializer): the ideas' and the measures' downloads differ only in the features' id, geometry
and properties."""

from .pagination import LICENCE_SCHEMA

POSITION = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 2,
    "description": "Longitude, latitude (WGS 84).",
}
COORDINATES = {"Point": POSITION, "MultiPoint": {"type": "array", "items": POSITION}}


def feature_collection_schema(
    *, description: str, feature_id: dict, geometry: str, properties: dict
) -> dict:
    return {
        "type": "object",
        "description": description,
        "required": ["type", "license", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "license": LICENCE_SCHEMA,
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": feature_id,
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"type": "string", "enum": [geometry]},
                                "coordinates": COORDINATES[geometry],
                            },
                        },
                        "properties": properties,
                    },
                },
            },
        },
    }
