"""iCalendar (RFC 5545) files for events, made with the `icalendar` library.

Every event keeps one UID for life and raises its SEQUENCE on every change, so a calendar
that imported the event (or subscribed to the feed) replaces its copy instead of adding a
second one. Times are written in Europe/Berlin with the time zone's definition included.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from halle_smartcity.city import site_name
from halle_smartcity.site import absolute_url

from .models import Event, Registration

TZID = "Europe/Berlin"
BERLIN = ZoneInfo(TZID)
PRODID = "-//Mitmachen//Events//DE"
# Subscribed calendars are asked to fetch the feed again after this long (RFC 7986).
REFRESH_INTERVAL = timedelta(hours=6)


def berlin_timezone() -> icalendar.Timezone:
    """Europe/Berlin as a VTIMEZONE with the EU rules (in force since 1996): CEST from the
    last Sunday of March, 02:00, to the last Sunday of October, 03:00."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = icalendar.TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))  # noqa: DTZ001 (local time by design)
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = icalendar.TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))  # noqa: DTZ001
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _location(event: Event) -> str:
    if event.has_venue:
        return ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return _("Online")


def _description(event: Event, registration: Registration | None) -> str:
    parts = [event.summary, event.description]
    if event.has_venue and event.accessibility_notes:
        parts.append(_("Accessibility: %(notes)s") % {"notes": event.accessibility_notes})
    if registration is not None and registration.is_confirmed and event.online_url:
        # Only the calendar file mailed to a participant with a place carries the link.
        parts.append(_("Online link: %(url)s") % {"url": event.online_url})
    parts.append(absolute_url(event.get_absolute_url()))
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def event_component(event: Event, *, registration: Registration | None = None) -> icalendar.Event:
    """One VEVENT. `registration` is the participant the file is mailed to, if any."""
    component = icalendar.Event()
    component.add("uid", str(event.uid))
    component.add("sequence", event.sequence)
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(BERLIN))
    component.add("dtend", event.ends_at.astimezone(BERLIN))
    component.add("summary", event.title)
    component.add("description", _description(event, registration))
    component.add("location", _location(event))
    component.add("url", absolute_url(event.get_absolute_url()))
    component.add("categories", [str(event.get_kind_display())])
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(berlin_timezone())
    return calendar


def event_ics(event: Event, *, registration: Registration | None = None) -> bytes:
    """The .ics file of one event (as a download, or attached to a participant's mail)."""
    calendar = _calendar(event.title)
    calendar.add_component(event_component(event, registration=registration))
    return calendar.to_ical()


def feed_ics(events: Iterable[Event], *, language: str | None = None) -> bytes:
    """The subscribable feed: every public event, cancelled ones marked as such."""
    with translation.override(language or settings.LANGUAGE_CODE):
        calendar = _calendar(_("Events of %(site)s") % {"site": site_name()})
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH_INTERVAL)
        for event in events:
            calendar.add_component(event_component(event))
        return calendar.to_ical()


def ics_filename(event: Event) -> str:
    return f"{event.slug}.ics"
