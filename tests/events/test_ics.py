"""The calendar files, parsed back with `icalendar` and checked: a stable UID, a SEQUENCE
that rises with every change, and the right times on both sides of daylight saving time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from events import services
from events.ics import berlin_timezone, event_ics
from tests.factories import UserFactory

from .factories import SECRET_LINK, EventFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def only_event(content: bytes) -> icalendar.Event:
    [component] = parse(content).events
    return component


def saved_event(**fields):
    return services.event_save(event=EventFactory.build(**fields))


def test_event_file_is_valid_and_names_the_event(client):
    event = saved_event(title="Kreativwerkstatt; Bildung, Ha-Neu")
    response = client.get(reverse("events:event-ics", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))  # folded lines
    calendar = parse(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    component = only_event(response.content)
    assert str(component["SUMMARY"]) == "Kreativwerkstatt; Bildung, Ha-Neu"
    assert str(component["UID"]) == str(event.uid)
    assert str(component["STATUS"]) == "CONFIRMED"
    assert "Marktplatz 2" in str(component["LOCATION"])
    assert str(component["URL"]).endswith(event.get_absolute_url())
    assert component["DTSTAMP"].dt.tzinfo is not None


def test_uid_stays_and_sequence_rises_with_every_change():
    event = saved_event()
    first = only_event(event_ics(event))
    event.title = "Neuer Titel"
    event = services.event_save(event=event)
    second = only_event(event_ics(event))
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event = services.event_save(event=event)
    third = only_event(event_ics(event))
    services.event_cancel(event=event, reason="Ausgefallen")
    event.refresh_from_db()
    fourth = only_event(event_ics(event))

    assert str(first["UID"]) == str(second["UID"]) == str(third["UID"]) == str(fourth["UID"])
    sequences = [int(c["SEQUENCE"]) for c in (first, second, third, fourth)]
    assert sequences == [0, 1, 2, 3]
    assert str(fourth["STATUS"]) == "CANCELLED"
    assert first["LAST-MODIFIED"].dt <= fourth["LAST-MODIFIED"].dt


@pytest.mark.parametrize(
    ("local_start", "utc_offset_hours"),
    [
        (datetime(2023, 3, 25, 10, 0, tzinfo=BERLIN), 1),  # before the spring change
        (datetime(2023, 3, 26, 10, 0, tzinfo=BERLIN), 2),  # Sunday after 02:00: CEST
        (datetime(2023, 10, 28, 18, 0, tzinfo=BERLIN), 2),  # before the autumn change
        (datetime(2023, 10, 29, 18, 0, tzinfo=BERLIN), 1),  # Sunday after 03:00: CET
        (datetime(2022, 12, 2, 10, 0, tzinfo=BERLIN), 1),  # Kreativwerkstatt, winter
        (datetime(2023, 5, 25, 16, 0, tzinfo=BERLIN), 2),  # Smart-City-Forum, summer
    ],
)
def test_times_are_right_across_daylight_saving_time(local_start, utc_offset_hours):
    starts_at = local_start
    event = saved_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    content = event_ics(event)
    assert f"DTSTART;TZID=Europe/Berlin:{local_start:%Y%m%dT%H%M%S}".encode() in content
    component = only_event(content)
    start = component["DTSTART"].dt
    assert start == starts_at
    assert start.utcoffset() == timedelta(hours=utc_offset_hours)
    assert component["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert component["DTEND"].dt - start == timedelta(hours=2)
    # The time zone definition shipped in the file gives the same offset on its own.
    [zone] = parse(content).timezones
    assert str(zone["TZID"]) == "Europe/Berlin"
    own = zone.to_tz()
    assert local_start.replace(tzinfo=own).utcoffset() == timedelta(hours=utc_offset_hours)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_time_zone_definition_follows_the_eu_rules_for_years_to_come():
    zone = berlin_timezone().to_tz()

    def offset(day: date) -> timedelta:
        return datetime.combine(day, time(12, 0), tzinfo=zone).utcoffset()

    for year in (2024, 2030, 2045):
        march, october = last_sunday(year, 3), last_sunday(year, 10)
        assert offset(march - timedelta(days=1)) == timedelta(hours=1)
        assert offset(march) == timedelta(hours=2)
        assert offset(october - timedelta(days=1)) == timedelta(hours=2)
        assert offset(october) == timedelta(hours=1)


def test_public_file_never_carries_the_online_link(client):
    event = saved_event(online_url=SECRET_LINK)
    content = client.get(reverse("events:event-ics", args=[event.slug])).content
    assert SECRET_LINK.encode() not in content
    assert b"meet.example.org" not in content


def test_participant_file_carries_the_online_link():
    event = saved_event(online_url=SECRET_LINK)
    registration = services.registration_request(event=event, name="A", user=UserFactory())
    description = str(only_event(event_ics(event, registration=registration))["DESCRIPTION"])
    assert SECRET_LINK in description


def test_feed_lists_public_events_with_their_state(client):
    shown = saved_event(title="Öffentlich")
    cancelled = saved_event(title="Abgesagt")
    services.event_cancel(event=cancelled, reason="Krank")
    hidden = saved_event(title="Intern", public=False)
    response = client.get(reverse("events:event-feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content)
    by_uid = {str(component["UID"]): component for component in calendar.events}
    assert set(by_uid) == {str(shown.uid), str(cancelled.uid)}
    assert str(by_uid[str(cancelled.uid)]["STATUS"]) == "CANCELLED"
    assert str(hidden.uid) not in response.content.decode()
    assert SECRET_LINK.encode() not in response.content
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert "NAME" in calendar


def test_dtstamp_is_utc():
    event = saved_event()
    stamp = only_event(event_ics(event))["DTSTAMP"].dt
    assert stamp.utcoffset() == timedelta(0)
    assert stamp == event.updated_at.astimezone(UTC).replace(microsecond=0)
