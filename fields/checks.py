from django.core.checks import Warning, register

from .boundaries import BoundaryFileError, boundaries_path, boundaries_read


@register()
def quarter_boundaries_check(app_configs, **kwargs):
    """A broken boundary file does not stop the site (the map does without it), but staff
    should hear of it before citizens notice the missing outlines."""
    path = boundaries_path()
    try:
        boundaries_read(path)
    except BoundaryFileError as error:
        return [
            Warning(
                f"The quarter boundaries in {path} cannot be used: {error}",
                hint="Fix the file or point QUARTER_BOUNDARIES_FILE at a valid GeoJSON "
                "FeatureCollection whose features carry the quarter code in properties.code.",
                id="fields.W001",
            )
        ]
    return []
