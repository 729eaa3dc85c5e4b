"""The public statistics page's numbers, built from the stored counts of `ideas.counts`
(no query over the ideas), and the rows of its server-rendered SVG bar charts.

Everything here counts `Idea.objects.published()` only: no draft and nothing of an
unpublished call.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fields.models import ActionField, Quarter
from halle_smartcity.page_cache import SITE, fragment
from halle_smartcity.templatetags.kern import berlin

from . import counts, selectors
from .charts import bar_chart
from .models import PUBLIC_STATUSES, Call, Channel, Status

# The calls' time zone: a day or a week of submissions is one in the city, not in UTC.
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
    counted_at: datetime | None = None
    # The public discussion (columns of the ideas; 0 in counts stored before it existed).
    supports: int = 0
    comments: int = 0
    threshold_reached: int = 0


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
    extensions (cached until a call changes)."""
    return selectors.calls_published()


def _with_shares(rows: list[Row], total: int) -> list[Row]:
    for row in rows:
        row.share = 100 * row.count / total if total else 0.0
    return rows


def ideas_per_field(
    *, counts: dict, fields: list[ActionField], total: int, unsorted: int
) -> list[Row]:
    """Published ideas per active action field, counted in every field an idea is tagged with
    (the numbers the home page, the list's filter and the open-data API show too), plus a row
    for the `unsorted` ideas tagged with none. An idea in several fields counts in each, so
    the rows and shares can add up to more than the total."""
    rows = [
        Row(label=f.name, count=counts.get(str(f.pk), 0), colour=bar_colour(f.colour))
        for f in fields
    ]
    if unsorted > 0:
        rows.append(Row(label=_("No action field assigned yet"), count=unsorted))
    return _with_shares(rows, total)


def ideas_per_quarter(counts: dict, *, whole_city: int, no_quarter: int) -> list[Row]:
    """Published ideas per quarter (an idea may name several), most first, with "whole city"
    and "no quarter given" as rows of their own. One query (the quarters' names)."""
    merged: dict[tuple[str, str], int] = {}
    for quarter in Quarter.objects.filter(pk__in=[int(pk) for pk in counts]).select_related(
        "district"
    ):
        key = (str(quarter), quarter.district.name)
        merged[key] = merged.get(key, 0) + counts[str(quarter.pk)]
    result = [Row(label=_("Whole city"), count=whole_city, group="")]
    for (label, group), count in sorted(merged.items(), key=lambda item: (-item[1], item[0])):
        result.append(Row(label=label, count=count, group=group))
    result.append(Row(label=_("No quarter given"), count=no_quarter))
    return result


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
    days: dict[date, int],
    *,
    first: date,
    last: date,
    marks: list[tuple[date, str]],
) -> OverTime:
    """Published ideas per day, week or month from `first` to `last` (days in the call's time
    zone), every bucket present even when empty, with the marks as notes of their bucket."""
    unit = bucket_unit(first, last)
    counts: dict[date, int] = {}
    for day, count in days.items():
        key = _bucket_start(day, unit)
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


def statistics_public(*, call: Call | None, snapshot: counts.Snapshot | None = None) -> Statistics:
    """Everything the statistics page shows, for one published call or (None) all of them,
    from the stored counts (`ideas.counts`, read unless given): one small query for the
    quarters' names, none over the ideas."""
    if snapshot is None:
        snapshot = counts.counts_read([call])[counts.scope_of(call)]
    data = snapshot.data
    marks = call_marks(call) if call is not None else []
    total = data["total"]
    statuses, channels = data["statuses"], data["channels"]
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
    days = counts.counted_days(data)
    if total and days:
        first, last = min(days), max(days)
        if call is not None:
            first = min(first, timezone.localtime(call.opens_at, CALL_TZ).date())
            # Up to the deadline, but no empty bars for days still to come.
            deadline = timezone.localtime(call.deadline, CALL_TZ).date()
            last = max(last, min(deadline, timezone.localdate(timezone=CALL_TZ)))
        over_time = submissions_over_time(days, first=first, last=last, marks=marks)
        if call is not None and call.is_extended:
            original_deadline = timezone.localtime(call.closes_at, CALL_TZ).date()
            over_time.after_original_deadline = sum(
                count for day, count in days.items() if day > original_deadline
            )
    return Statistics(
        call=call,
        total=total,
        fields=ideas_per_field(
            counts=data["fields"],
            fields=selectors.fields_active(),
            total=total,
            unsorted=data["no_field"],
        ),
        quarters=ideas_per_quarter(
            data["quarters"], whole_city=data["whole_city"], no_quarter=data["no_quarter"]
        ),
        statuses=status_rows,
        channels=channel_rows,
        online=channels.get(Channel.ONLINE, 0),
        analog=sum(channels.get(value, 0) for value in ANALOG_CHANNELS),
        over_time=over_time,
        marks=marks,
        counted_at=snapshot.computed_at,
        supports=data.get("supports", 0),
        comments=data.get("comments", 0),
        threshold_reached=data.get("threshold_reached", 0),
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


def statistics_cached(
    *, call: Call | None, snapshot: counts.Snapshot | None = None
) -> tuple[Statistics, dict[str, str]]:
    """`statistics_public` and its `summaries` (labels translated in the current language)."""
    stats = statistics_public(call=call, snapshot=snapshot)
    return stats, summaries(stats)


def charts_html(call: Call | None, snapshot: counts.Snapshot) -> str:
    """The page's charts with their tables, rendered once for every visitor until what they
    show changes: the counts (by their content, not their time: a refresh that finds the
    same numbers keeps them), the calls, fields and quarters (the `site` tag), or the day
    (the chart over time reaches up to today)."""
    digest = hashlib.sha256(json.dumps(snapshot.data, sort_keys=True).encode()).hexdigest()

    def render() -> str:
        stats, texts = statistics_cached(call=call, snapshot=snapshot)
        return render_to_string(
            "ideas/includes/statistics_charts.html",
            {"stats": stats, "summaries": texts, "charts": charts_of(stats)},
        )

    return fragment(
        "statistics-charts",
        [counts.scope_of(call), digest[:32], timezone.localdate(timezone=CALL_TZ).isoformat()],
        [SITE],
        render,
    )


def charts_of(stats: Statistics) -> dict:
    return {
        "fields": bar_chart(stats.fields),
        "quarters": bar_chart(stats.quarters),
        "statuses": bar_chart(stats.statuses),
        "channels": bar_chart(stats.channels),
        "over_time": bar_chart(stats.over_time.rows) if stats.over_time else None,
    }
