from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from halle_smartcity.templatetags.kern import berlin
from halle_smartcity.templatetags.kern import local_time as clock_with_unit

register = template.Library()


def _clock(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M}"


@register.filter
def event_when(event) -> str:
    """When an event takes place, the German way: the date once and two times joined by an
    en dash on one day ("02.12.2022, 10:00 ... 16:00 Uhr"), two full moments across days."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        # Translators: a time range on one day; German adds "Uhr" at the end.
        return _("%(date)s, %(start)s – %(end)s") % {
            "date": date_format(start, "d.m.Y"),
            "start": _clock(start),
            "end": clock_with_unit(end),
        }
    return f"{berlin(start)} – {berlin(end)}"


@register.filter
def iso(moment) -> str:
    """A moment for a <time datetime=…> attribute, with its offset."""
    return timezone.localtime(moment).isoformat(timespec="minutes")


def _day(value, precision: str) -> str:
    if precision == "month":
        return date_format(value, "F Y")
    return date_format(value, "d.m.Y")


@register.filter
def milestone_when(milestone) -> str:
    """A milestone's date ("05.12.2022", "Mai 2022"), or two of them joined by an en dash."""
    start = _day(milestone.starts_on, milestone.precision)
    if not milestone.ends_on or milestone.ends_on == milestone.starts_on:
        return start
    end = _day(milestone.ends_on, milestone.precision)
    return start if end == start else f"{start} – {end}"


@register.filter
def milestone_iso(milestone) -> str:
    if milestone.precision == "month":
        return f"{milestone.starts_on:%Y-%m}"
    return milestone.starts_on.isoformat()


@register.filter
def has_ended(event, now=None) -> bool:
    return event.has_ended(now or None)


@register.filter
def seats_left(event) -> int | None:
    """Free places of an event annotated with `seats_taken` (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - getattr(event, "seats_taken", 0), 0)


@register.filter
def span_when(span) -> str:
    """A phase's dates (events/phases.py): two days or months joined by an en dash, one of
    them, or "from <day>" when only the start is known."""
    if span.precision == "from":
        return _("from %(date)s") % {"date": date_format(span.starts_on, "d.m.Y")}
    start = _day(span.starts_on, span.precision)
    end = _day(span.ends_on, span.precision)
    return start if start == end else f"{start} – {end}"
