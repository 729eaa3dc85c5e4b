"""Counts of published ideas for the public statistics page, each in one aggregate query
whatever the number of ideas, and the geometry of the server-rendered SVG bar charts.

Everything here counts `Idea.objects.published()` only: no draft and nothing of an
unpublished call.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from fields.models import ActionField
from halle_smartcity.page_cache import generation
from halle_smartcity.templatetags.kern import berlin

from . import selectors
from .models import PUBLIC_STATUSES, Call, Channel, Idea, Status

# The calls' time zone: a day or a week of submissions is one in Halle, not in UTC.
CALL_TZ = ZoneInfo(settings.TIME_ZONE)
# A KERN blue with 6.9:1 against white, used where an action field's own colour is too pale.
FALLBACK_COLOUR = "#1f5c99"
MIN_CONTRAST = 3.0
# Up to a month of submissions is shown per day, up to two years per week, beyond per month.
DAILY_UP_TO_DAYS = 31
WEEKLY_UP_TO_DAYS = 731
ANALOG_CHANNELS = [channel for channel in Channel.values if channel != Channel.ONLINE]


@dataclass
class Row:
    """One bar and one table row: a label, a number and optional notes (marks in time)."""

    label: str
    count: int
    colour: str = FALLBACK_COLOUR
    group: str = ""
    notes: list[str] = field(default_factory=list)
    start: date | None = None
    share: float = 0.0


@dataclass
class OverTime:
    unit: str  # "day", "week" or "month"
    rows: list[Row]
    after_original_deadline: int | None = None


@dataclass
class Statistics:
    call: Call | None
    total: int
    fields: list[Row]
    quarters: list[Row]
    statuses: list[Row]
    channels: list[Row]
    online: int
    analog: int
    over_time: OverTime | None
    marks: list[tuple[date, str]]


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against white."""
    return 1.05 / (_relative_luminance(colour) + 0.05)


def bar_colour(colour: str | None) -> str:
    """The colour itself if a bar in it stands out from the white page (WCAG 1.4.11, 3:1),
    else a KERN blue."""
    if colour and len(colour) == 7 and contrast_on_white(colour) >= MIN_CONTRAST:
        return colour
    return FALLBACK_COLOUR


def statistics_calls() -> list[Call]:
    """The published calls one can pick on the statistics page, newest first, with their
    extensions (two queries)."""
    return list(selectors.call_list_public().prefetch_related("extensions"))


def _with_shares(rows: list[Row], total: int) -> list[Row]:
    for row in rows:
        row.share = 100 * row.count / total if total else 0.0
    return rows


def ideas_per_field(*, call: Call | None, total: int, unsorted: int) -> list[Row]:
    """Published ideas per action field, counted in every field an idea is tagged with: the
    numbers of `selectors.field_counts` (which the home page, the list's filter and the
    open-data API use too), plus a row for the `unsorted` ideas tagged with none. An idea in
    several fields counts in each, so the rows and shares can add up to more than the total."""
    fields: list[ActionField] = selectors.field_counts(call=call)
    rows = [Row(label=f.name, count=f.idea_count, colour=bar_colour(f.colour)) for f in fields]
    if unsorted > 0:
        rows.append(Row(label=_("No action field assigned yet"), count=unsorted))
    return _with_shares(rows, total)


def _day_expression():
    # Ideas that came on paper, by post, by phone or at an event were entered later: the day
    # they arrived is when they were submitted.
    return Coalesce("received_on", TruncDate("submitted_at", tzinfo=CALL_TZ))


def _totals(ideas: QuerySet[Idea], *, original_deadline: date | None) -> dict:
    aggregates = {
        "total": Count("id"),
        "whole_city_count": Count("id", filter=Q(whole_city=True)),
        "first_day": Min(_day_expression()),
        "last_day": Max(_day_expression()),
    }
    if original_deadline is not None:
        aggregates["after_deadline"] = Count(
            "id", filter=GreaterThan(_day_expression(), original_deadline)
        )
    totals = ideas.aggregate(**aggregates)
    # A query of its own: inside the aggregate above the EXISTS would run once per idea,
    # on its own PostgreSQL makes it one anti-join.
    has_quarter = Exists(Idea.quarters.through.objects.filter(idea=OuterRef("pk")))
    totals["no_quarter_count"] = ideas.filter(~has_quarter, whole_city=False).count()
    has_field = Exists(Idea.action_fields.through.objects.filter(idea=OuterRef("pk")))
    totals["no_field_count"] = ideas.filter(~has_field).count()
    return totals


def ideas_per_quarter(ideas: QuerySet[Idea], *, whole_city: int, no_quarter: int) -> list[Row]:
    """Published ideas per quarter (an idea may name several), most first, with "whole city"
    and "no quarter given" as rows of their own."""
    rows = (
        Idea.quarters.through.objects.filter(idea__in=ideas)
        .values("quarter__name", "quarter__part_of", "quarter__district__name")
        .annotate(count=Count("idea_id"))
        .order_by("-count", "quarter__name", "quarter__part_of")
    )
    result = [Row(label=_("Whole city"), count=whole_city, group="")]
    for row in rows:
        name = row["quarter__name"]
        if row["quarter__part_of"]:
            name = f"{name} ({row['quarter__part_of']})"
        result.append(Row(label=name, count=row["count"], group=row["quarter__district__name"]))
    result.append(Row(label=_("No quarter given"), count=no_quarter))
    return result


def _status_channel_counts(ideas: QuerySet[Idea]) -> tuple[dict[str, int], dict[str, int]]:
    statuses: dict[str, int] = {}
    channels: dict[str, int] = {}
    for status, channel, count in (
        ideas.values_list("status", "channel").annotate(count=Count("id")).order_by()
    ):
        statuses[status] = statuses.get(status, 0) + count
        channels[channel] = channels.get(channel, 0) + count
    return statuses, channels


def _bucket_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_bucket(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=1)


def bucket_unit(first: date, last: date) -> str:
    """Per day for a short call, per week for one of many months, per month beyond, so the
    chart keeps a readable number of bars."""
    days = (last - first).days + 1
    if days <= DAILY_UP_TO_DAYS:
        return "day"
    if days <= WEEKLY_UP_TO_DAYS:
        return "week"
    return "month"


def call_marks(call: Call) -> list[tuple[date, str]]:
    """The days to mark in the chart, in the call's time zone: the opening, the deadline as
    first announced and every extended deadline."""
    marks = [
        (
            timezone.localtime(call.opens_at, CALL_TZ).date(),
            _("Call opened: %(date)s") % {"date": berlin(call.opens_at, False)},
        )
    ]
    extensions = sorted(call.extensions.all(), key=lambda extension: extension.new_deadline)
    if not extensions:
        marks.append(
            (
                timezone.localtime(call.deadline, CALL_TZ).date(),
                _("Deadline: %(moment)s") % {"moment": berlin(call.deadline)},
            )
        )
        return marks
    marks.append(
        (
            timezone.localtime(call.closes_at, CALL_TZ).date(),
            _("Original deadline: %(moment)s") % {"moment": berlin(call.closes_at)},
        )
    )
    for extension in extensions:
        marks.append(
            (
                timezone.localtime(extension.new_deadline, CALL_TZ).date(),
                _("Extended deadline: %(moment)s") % {"moment": berlin(extension.new_deadline)},
            )
        )
    return marks


def bucket_label(start: date, unit: str) -> str:
    if unit == "week":
        end = start + timedelta(days=6)
        return _("%(start)s – %(end)s") % {
            "start": date_format(start, "d.m."),
            "end": date_format(end, "d.m.Y"),
        }
    if unit == "month":
        return date_format(start, "F Y")
    return date_format(start, "D, d.m.Y")


def submissions_over_time(
    ideas: QuerySet[Idea],
    *,
    first: date,
    last: date,
    marks: list[tuple[date, str]],
) -> OverTime:
    """Published ideas per day, week or month from `first` to `last` (days in the call's time
    zone), every bucket present even when empty, with the marks as notes of their bucket.
    One query."""
    unit = bucket_unit(first, last)
    truncate = {"day": None, "week": TruncWeek, "month": TruncMonth}[unit]
    expression = _day_expression()
    if truncate is not None:
        expression = truncate(expression)
    counts: dict[date, int] = {}
    for bucket, count in (
        ideas.annotate(bucket=expression).values_list("bucket").annotate(n=Count("id")).order_by()
    ):
        if bucket is not None:
            key = bucket.date() if hasattr(bucket, "date") else bucket
            counts[key] = counts.get(key, 0) + count
    rows = []
    start = _bucket_start(first, unit)
    while start <= last:
        following = _next_bucket(start, unit)
        notes = [text for day, text in marks if start <= day < following]
        rows.append(
            Row(
                label=bucket_label(start, unit),
                count=counts.get(start, 0),
                notes=notes,
                start=start,
            )
        )
        start = following
    return OverTime(unit=unit, rows=rows)


def statistics_public(*, call: Call | None) -> Statistics:
    """Everything the statistics page shows, for one published call or (None) all of them,
    in seven queries whatever the number of ideas (plus two for `statistics_calls`)."""
    ideas = Idea.objects.published()
    if call is not None:
        ideas = ideas.filter(call=call)
    marks = call_marks(call) if call is not None else []
    original_deadline = (
        timezone.localtime(call.closes_at, CALL_TZ).date()
        if call is not None and call.is_extended
        else None
    )
    totals = _totals(ideas, original_deadline=original_deadline)
    total = totals["total"]
    statuses, channels = _status_channel_counts(ideas)
    status_rows = _with_shares(
        [
            Row(label=str(Status(value).label), count=statuses.get(value, 0))
            for value in PUBLIC_STATUSES
        ],
        total,
    )
    channel_rows = _with_shares(
        [
            Row(
                label=str(Channel(value).label),
                count=channels.get(value, 0),
                group=_("Online") if value == Channel.ONLINE else pgettext("channel", "Analog"),
            )
            for value in Channel.values
        ],
        total,
    )
    over_time = None
    if total:
        first, last = totals["first_day"], totals["last_day"]
        if call is not None:
            first = min(first, timezone.localtime(call.opens_at, CALL_TZ).date())
            # Up to the deadline, but no empty bars for days still to come.
            deadline = timezone.localtime(call.deadline, CALL_TZ).date()
            last = max(last, min(deadline, timezone.localdate(timezone=CALL_TZ)))
        over_time = submissions_over_time(ideas, first=first, last=last, marks=marks)
        over_time.after_original_deadline = totals.get("after_deadline")
    return Statistics(
        call=call,
        total=total,
        fields=ideas_per_field(call=call, total=total, unsorted=totals["no_field_count"]),
        quarters=ideas_per_quarter(
            ideas, whole_city=totals["whole_city_count"], no_quarter=totals["no_quarter_count"]
        ),
        statuses=status_rows,
        channels=channel_rows,
        online=channels.get(Channel.ONLINE, 0),
        analog=sum(channels.get(value, 0) for value in ANALOG_CHANNELS),
        over_time=over_time,
        marks=marks,
    )


def _listing(rows: list[Row], limit: int | None = None) -> str:
    shown = [row for row in rows if row.count][:limit]
    return "; ".join(f"{row.label}: {row.count}" for row in shown)


def summaries(stats: Statistics) -> dict[str, str]:
    """One sentence or two per chart, saying in words what the bars show."""
    total = stats.total
    result = {
        "fields": _(
            "Published ideas: %(total)s. By action field (an idea may belong to several, so "
            "the numbers can add up to more): %(list)s."
        )
        % {"total": total, "list": _listing(stats.fields) or "–"},
        "quarters": _(
            "Whole city: %(whole_city)s; no quarter given: %(no_quarter)s. "
            "Quarters named most often: %(list)s."
        )
        % {
            "whole_city": stats.quarters[0].count,
            "no_quarter": stats.quarters[-1].count,
            "list": _listing(stats.quarters[1:-1], limit=5) or "–",
        },
        "statuses": _("Ideas by status: %(list)s.") % {"list": _listing(stats.statuses) or "–"},
        "channels": _("Online: %(online)s; analog: %(analog)s (%(list)s).")
        % {
            "online": stats.online,
            "analog": stats.analog,
            "list": _listing([row for row in stats.channels[1:]]) or "–",
        },
    }
    over_time = stats.over_time
    if over_time is not None:
        busiest = max(over_time.rows, key=lambda row: row.count)
        unit = {
            "day": _("Ideas per day"),
            "week": _("Ideas per week (Monday to Sunday)"),
            "month": _("Ideas per month"),
        }[over_time.unit]
        text = _("%(unit)s from %(first)s to %(last)s; most in %(busiest)s (%(count)s).") % {
            "unit": unit,
            "first": over_time.rows[0].label,
            "last": over_time.rows[-1].label,
            "busiest": busiest.label,
            "count": busiest.count,
        }
        if stats.marks:
            text += " " + " ".join(f"{note}." for _day, note in stats.marks)
        if over_time.after_original_deadline is not None:
            text += " " + _("Ideas that arrived after the original deadline: %(count)s.") % {
                "count": over_time.after_original_deadline
            }
        result["over_time"] = text
    return result


def statistics_cached(*, call: Call | None) -> tuple[Statistics, dict[str, str]]:
    """`statistics_public` and its `summaries`, kept until published content changes (the page
    cache's generation), so that signed-in visitors, who bypass the page cache, do not count
    100,000 ideas on every visit either. Labels are translated: one entry per language."""
    key = f"statistics:{generation()}:{get_language()}:{call.pk if call else 'all'}"
    cached = cache.get(key)
    if cached is None:
        stats = statistics_public(call=call)
        cached = (stats, summaries(stats))
        cache.set(key, cached, settings.MITMACHEN_PAGE_CACHE_SECONDS)
    return cached
