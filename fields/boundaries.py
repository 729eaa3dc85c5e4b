"""The quarters' boundaries: a GeoJSON file the city supplies (boundaries.geojson in its folder,
or MITMACHEN_QUARTER_BOUNDARIES).

The file is optional. A missing file means no boundaries; a broken one is reported to the
logs and to `manage.py check`, and the site carries on without boundaries rather than failing
for citizens.
"""

import json
import logging
import math
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
GEOMETRY_DEPTH = {"Polygon": 3, "MultiPolygon": 4}

_cache: dict = {}


class BoundaryFileError(ValueError):
    """The boundary file is not a FeatureCollection of quarter polygons."""


def _check_coordinates(value, depth: int, where: str) -> None:
    if depth == 1:
        if (
            not isinstance(value, list)
            or len(value) < 2
            or not all(
                isinstance(number, int | float) and not isinstance(number, bool)
                for number in value
            )
            or not all(math.isfinite(number) for number in value)
            or not (-180 <= value[0] <= 180 and -90 <= value[1] <= 90)
        ):
            raise BoundaryFileError(f"{where}: a position must be [longitude, latitude].")
        return
    if not isinstance(value, list) or not value:
        raise BoundaryFileError(f"{where}: coordinates are not nested as the geometry needs.")
    for item in value:
        _check_coordinates(item, depth - 1, where)


def boundaries_parse(text: str) -> dict:
    """A FeatureCollection of quarter boundaries from the file's text, keeping only each
    feature's geometry and its `code` (and `name`, if given). Raises BoundaryFileError."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BoundaryFileError(f"not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError("the file must hold a GeoJSON FeatureCollection.")
    features = data.get("features")
    if not isinstance(features, list):
        raise BoundaryFileError("the FeatureCollection has no list of features.")
    kept = []
    for index, feature in enumerate(features):
        where = f"feature {index + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryFileError(f"{where} is not a GeoJSON Feature.")
        properties = feature.get("properties")
        code = properties.get("code") if isinstance(properties, dict) else None
        if isinstance(code, int) and not isinstance(code, bool):
            code = f"{code:02d}"
        if not isinstance(code, str) or not code.strip():
            raise BoundaryFileError(f"{where} has no quarter code in properties.code.")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_DEPTH:
            raise BoundaryFileError(f"{where} ({code}) must be a Polygon or MultiPolygon.")
        _check_coordinates(
            geometry.get("coordinates"), GEOMETRY_DEPTH[geometry["type"]], f"{where} ({code})"
        )
        name = properties.get("name")
        kept.append(
            {
                "type": "Feature",
                "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
                "properties": {
                    "code": code.strip(),
                    **({"name": name} if isinstance(name, str) else {}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": kept}


def boundaries_read(path: Path) -> dict | None:
    """The boundaries in the file at `path`, or None if there is no file.
    Raises BoundaryFileError for a file that cannot be used."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BoundaryFileError(f"cannot read the file ({error})") from None
    if size > MAX_FILE_BYTES:
        raise BoundaryFileError(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BoundaryFileError(f"cannot read the file ({error})") from None
    return boundaries_parse(text)


def boundaries_path() -> Path:
    """The boundary file: the QUARTER_BOUNDARIES_FILE setting, else the city folder's."""
    configured = settings.MITMACHEN_QUARTER_BOUNDARIES
    return Path(configured) if configured else Path(settings.CITY_DIR) / "boundaries.geojson"


def quarter_boundaries() -> dict:
    """The configured boundaries as a FeatureCollection; empty if the file is missing or
    broken (then an error is logged). Parsed once per process and file version."""
    path = boundaries_path()
    try:
        stat = path.stat()
        version = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (str(path), None, None)
    if _cache.get("version") == version:
        return _cache["data"]
    try:
        data = boundaries_read(path)
    except BoundaryFileError as error:
        logger.error("Quarter boundaries %s are not used: %s", path, error)
        data = None
    data = data or {"type": "FeatureCollection", "features": []}
    _cache.update(version=version, data=data)
    return data
