"""What the map of ideas shows, read for the visible area only.

The page carries no markers: the browser asks `ideas:idea-map-markers` for the box it shows.
Above a few hundred ideas in the box they are grouped on the server (a grid whose cells
shrink as the visitor zooms in, one COUNT per cell), so neither the page nor the answer grows
with the number of ideas.
"""

import math
from dataclasses import dataclass

from django.db.models import Avg, Count, FloatField, Max, Min, Prefetch, QuerySet
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _

from fields.models import Quarter

from .geo import idea_feature
from .models import Idea, Status

# Up to this many ideas in the box come as single markers (the browser groups them itself);
# above, the server groups them into cells.
SINGLE_LIMIT = 300
# From this zoom on (a few streets) single markers, however many: the newest of them.
SINGLE_ZOOM = 17
SINGLE_CAP = 500
# A cell is about 60 pixels wide at the asked zoom (256-pixel tiles): 60/256 * 360° / 2^zoom.
CELL_DEGREES_AT_ZOOM_0 = 84.375
# However large the box, at most this many cells across and down (so at most 1,600 rows).
GRID_MAX = 40
ZOOM_MIN, ZOOM_MAX = 0, 22


class MapParameterError(ValueError):
    """A bounding box or zoom the endpoint cannot use; the message is shown to the caller."""


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float


def parse_box(value: str | None) -> Box:
    """`west,south,east,north` in degrees (WGS 84), as Leaflet's `toBBoxString()` writes it."""
    if not value:
        raise MapParameterError(
            _("The parameter bbox is missing (west,south,east,north in degrees).")
        )
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts] if len(parts) == 4 else None
    except ValueError:
        numbers = None
    if numbers is None or not all(math.isfinite(number) for number in numbers):
        raise MapParameterError(
            _("The parameter bbox must be four numbers: west,south,east,north in degrees.")
        )
    box = Box(*numbers)
    if not (-180 <= box.west < box.east <= 180 and -90 <= box.south < box.north <= 90):
        raise MapParameterError(
            _(
                "The parameter bbox must have west < east between -180 and 180 and "
                "south < north between -90 and 90."
            )
        )
    return box


def parse_zoom(value: str | None) -> int:
    try:
        zoom = int(value or "")
    except ValueError:
        zoom = None
    if zoom is None or not ZOOM_MIN <= zoom <= ZOOM_MAX:
        raise MapParameterError(
            _("The parameter zoom must be a whole number from %(low)s to %(high)s.")
            % {"low": ZOOM_MIN, "high": ZOOM_MAX}
        )
    return zoom


def parse_idea(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise MapParameterError(_("The parameter idee must be the number of an idea."))
    return int(value)


def cell_size(box: Box, zoom: int) -> float:
    """The grid's cell in degrees: shrinking with the zoom, never more than GRID_MAX cells
    across or down the box (a huge box at a high zoom stays cheap)."""
    return max(
        CELL_DEGREES_AT_ZOOM_0 / 2**zoom,
        (box.east - box.west) / GRID_MAX,
        (box.north - box.south) / GRID_MAX,
    )


def located_once(filtered: QuerySet[Idea]) -> QuerySet[Idea]:
    """The ideas of `filtered` (published and located, perhaps joined with quarters or
    fields), each once. Repeating "published and located" outside the subquery lets
    PostgreSQL read both sides from the narrow index `idea_public_located` instead of the
    whole table (ideas are wide rows: texts)."""
    return Idea.objects.exclude(status=Status.DRAFT).filter(
        latitude__isnull=False, longitude__isnull=False, pk__in=filtered.values("pk")
    )


def in_box(queryset: QuerySet[Idea], box: Box) -> QuerySet[Idea]:
    return queryset.filter(
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )


def marker_queryset(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    """Ideas with what a marker's popup and label need (two queries)."""
    return ideas.select_related("primary_field").prefetch_related(
        Prefetch("quarters", queryset=Quarter.objects.order_by("name"))
    )


def marker_properties(idea: Idea) -> dict:
    # Public data only: never the author or the submitter.
    return {
        "title": idea.title,
        "reference": idea.reference,
        "url": idea.get_absolute_url(),
        "field": idea.primary_field.name if idea.primary_field else "",
        "status": idea.get_status_display(),
        "quarters": [quarter.name for quarter in idea.quarters.all()],
    }


def marker_features(ideas) -> list[dict]:
    return [idea_feature(idea, marker_properties(idea)) for idea in ideas]


def markers_for_box(filtered: QuerySet[Idea], box: Box, zoom: int) -> dict:
    """The ideas of `filtered` (published, located, the list's filters applied) inside `box`:
    single markers, or at low zoom with many ideas groups with their count, centre and extent.

    Every idea in the box is in exactly one marker or group (the counts add up), except at
    SINGLE_ZOOM and above, where the newest SINGLE_CAP are shown and `capped` says so.
    Four queries at most, whatever the number of ideas.
    """
    # The filters may join quarters or fields: count and group each idea once.
    ideas = in_box(located_once(filtered), box)
    total = ideas.count()
    if total <= SINGLE_LIMIT or zoom >= SINGLE_ZOOM:
        shown = list(marker_queryset(ideas).order_by("-submitted_at", "-id")[:SINGLE_CAP])
        return {
            "total": total,
            "capped": total > len(shown),
            "markers": marker_features(shown),
            "clusters": [],
        }
    size = cell_size(box, zoom)
    cells = (
        ideas.annotate(
            cell_x=Floor(Cast("longitude", FloatField()) / size),
            cell_y=Floor(Cast("latitude", FloatField()) / size),
        )
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("id"),
            middle_latitude=Avg(Cast("latitude", FloatField())),
            middle_longitude=Avg(Cast("longitude", FloatField())),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
            first=Min("id"),
        )
        .order_by()
    )
    clusters, single_ids = [], []
    for cell in cells:
        if cell["count"] == 1:
            single_ids.append(cell["first"])
            continue
        clusters.append(
            {
                "count": cell["count"],
                "coordinates": [
                    round(cell["middle_longitude"], 6),
                    round(cell["middle_latitude"], 6),
                ],
                "bounds": [
                    [float(cell["south"]), float(cell["west"])],
                    [float(cell["north"]), float(cell["east"])],
                ],
            }
        )
    singles = marker_queryset(Idea.objects.filter(pk__in=single_ids)).order_by("id")
    return {
        "total": total,
        "capped": False,
        "markers": marker_features(singles) if single_ids else [],
        "clusters": clusters,
    }


def map_overview(filtered: QuerySet[Idea]) -> dict:
    """For the page itself: how many ideas match, the box around them (where the map starts),
    and per quarter the number of its ideas and their middle (where the map writes the
    quarter's name without tiles). Two queries, whatever the number of ideas: the count and
    box over the ideas alone (no join, so nothing to count twice), and one pass over ideas and
    their quarters, whose group without a quarter gives the ideas without one."""
    ideas = located_once(filtered)
    extent = ideas.aggregate(
        count=Count("id"),
        south=Min("latitude"),
        north=Max("latitude"),
        west=Min("longitude"),
        east=Max("longitude"),
    )
    rows = (
        ideas.values("quarters")
        .annotate(
            count=Count("id"),
            latitude=Avg(Cast("latitude", FloatField())),
            longitude=Avg(Cast("longitude", FloatField())),
        )
        .order_by()
    )
    by_quarter, without_quarter = {}, 0
    for row in rows:
        if row["quarters"] is None:
            without_quarter = row["count"]
        else:
            by_quarter[row["quarters"]] = {**row, "quarter_id": row["quarters"]}
    return {
        "total": extent["count"],
        "without_quarter": without_quarter,
        "bounds": (
            [
                [float(extent["south"]), float(extent["west"])],
                [float(extent["north"]), float(extent["east"])],
            ]
            if extent["count"]
            else None
        ),
        "by_quarter": by_quarter,
    }
