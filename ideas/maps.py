"""Settings of the map as the browser needs them (static/js/map.js reads them from the page)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _


def tile_host() -> str:
    """The host the tiles come from; empty for tiles on our own host (a relative URL)."""
    return urlsplit(settings.MITMACHEN_MAP_TILE_URL).netloc


def map_config() -> dict:
    """What static/js/map.js needs, embedded in the page with json_script."""
    west, south, east, north = settings.MITMACHEN_MAP_BOUNDS
    return {
        "tileUrl": settings.MITMACHEN_MAP_TILE_URL,
        "tileAttribution": settings.MITMACHEN_MAP_TILE_ATTRIBUTION,
        "tileHost": tile_host(),
        "center": list(settings.MITMACHEN_MAP_CENTER),
        "bounds": [[south, west], [north, east]],
        "boundariesUrl": reverse("ideas:quarter-boundaries"),
        "icon": {
            "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "text": {
            "reference": _("Reference"),
            "field": _("Action field"),
            "status": _("Status"),
            "noBoundary": _("There is no outline of this quarter; the map stays as it is."),
            "pointSet": _("Location set: latitude %(lat)s, longitude %(lon)s."),
            "pointRemoved": _("Location removed."),
            "chosenPlace": _("Chosen place (drag to move)"),
            "cluster": _("%(count)s ideas here: select to zoom in"),
        },
    }
