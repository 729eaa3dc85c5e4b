"""Settings of the map as the browser needs them (static/js/map.js reads them from the page)."""

from urllib.parse import urlsplit

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from halle_smartcity.city import map_settings


def tile_host() -> str:
    """The host the tiles come from; empty for tiles on our own host (a relative URL)."""
    return urlsplit(map_settings()["tile_url"]).netloc


def map_config() -> dict:
    """What static/js/map.js needs, embedded in the page with json_script."""
    city_map = map_settings()
    west, south, east, north = city_map["bounds"]
    return {
        "tileUrl": city_map["tile_url"],
        "tileAttribution": city_map["tile_attribution"],
        "tileHost": tile_host(),
        "center": list(city_map["center"]),
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
