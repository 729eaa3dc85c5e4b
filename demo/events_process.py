"""Loading Halle's participation process (events, milestones, publications) as demo data.
Safe to run again: rows are found by slug, key or (date, outlet, title) and updated."""

import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from events import services
from events.models import DatePrecision, Event, EventFormat, EventKind, Milestone, Publication
from fields.models import ActionField, Quarter
from ideas.models import Call

BERLIN = ZoneInfo("Europe/Berlin")
DATA = Path(__file__).resolve().parent / "demo_data" / "halle_process.json"
EVENT_FIELDS = [
    "title",
    "kind",
    "format",
    "summary",
    "description",
    "venue_name",
    "venue_address",
    "accessibility_notes",
    "online_url",
    "registration_enabled",
    "capacity",
]
DEMO_EVENT = {
    "slug": "demo-infoabend",
    "title": "Demo: Infoabend „Smart City – wie geht es weiter?“",
    "kind": EventKind.INFO_SESSION,
    "format": EventFormat.HYBRID,
    "summary": "Eine Demo-Veranstaltung zum Ausprobieren: melden Sie sich an, sagen Sie ab, und "
    "sehen Sie, wie die Warteliste nachrückt.",
    "description": "Diese Veranstaltung dient der Vorführung der Plattform. Vor Ort und online: "
    "Das Smart-City-Team berichtet über die Umsetzung der Maßnahmen und beantwortet Fragen.",
    "venue_name": "Demo-Veranstaltungsort",
    "venue_address": "Musterstraße 1, 06108 Halle (Saale)",
    "accessibility_notes": (
        "Demo-Angabe: stufenloser Zugang, barrierefreies WC, Induktionsschleife."
    ),
    "online_url": "https://meet.example.org/mitmachen-demo",
    "registration_enabled": True,
    "capacity": 25,
}


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=BERLIN)


def _event(entry: dict, *, calls: dict, fields: dict, quarters: dict) -> Event:
    event = Event.objects.filter(slug=entry["slug"]).first() or Event(slug=entry["slug"])
    for name in EVENT_FIELDS:
        default = Event._meta.get_field(name).get_default()
        setattr(event, name, entry.get(name, default))
    event.starts_at = _moment(entry["starts_at"])
    event.ends_at = _moment(entry["ends_at"])
    event.call = calls.get(entry.get("call", "smart-city-halle-2022"))
    event.public = entry.get("public", True)
    event = services.event_save(event=event)
    event.action_fields.set([fields[slug] for slug in entry.get("fields", []) if slug in fields])
    event.quarters.set([quarters[name] for name in entry.get("quarters", []) if name in quarters])
    return event


def _demo_event(*, now: datetime, call: Call | None) -> Event:
    """An event in two weeks, to try registering; moved forward whenever it has passed."""
    event = Event.objects.filter(slug=DEMO_EVENT["slug"]).first()
    if event is not None and not event.has_started(now) and not event.is_cancelled:
        return event
    if event is not None and event.is_cancelled:
        event.delete()
        event = None
    event = event or Event(slug=DEMO_EVENT["slug"])
    for name, value in DEMO_EVENT.items():
        setattr(event, name, value)
    day = timezone.localdate(now) + timedelta(days=14)
    event.starts_at = datetime.combine(day, time(18, 0), tzinfo=BERLIN)
    event.ends_at = event.starts_at + timedelta(minutes=90)
    event.registration_deadline = event.starts_at - timedelta(days=1)
    event.call = call
    return services.event_save(event=event, now=now)


def halle_process_load(
    *, data: dict | None = None, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Create or update Halle's events, milestones and publications, and the demo event.
    Returns how many of each there are."""
    data = data or json.loads(DATA.read_text(encoding="utf-8"))
    calls = {call.slug: call for call in Call.objects.all()}
    fields = {field.slug: field for field in ActionField.objects.all()}
    quarters = {quarter.name: quarter for quarter in Quarter.objects.all()}
    done = 0
    with transaction.atomic():
        events = {}
        for entry in data["events"]:
            events[entry["slug"]] = _event(entry, calls=calls, fields=fields, quarters=quarters)
            done += 1
            if progress:
                progress(done)
        _demo_event(now=timezone.now(), call=calls.get("demo-aufruf"))
        for entry in data["milestones"]:
            Milestone.objects.update_or_create(
                key=entry["key"],
                defaults={
                    "title": entry["title"],
                    "description": entry.get("description", ""),
                    "starts_on": date.fromisoformat(entry["starts_on"]),
                    "ends_on": date.fromisoformat(entry["ends_on"])
                    if entry.get("ends_on")
                    else None,
                    "precision": entry.get("precision", DatePrecision.DAY),
                    "phase": entry.get("phase", ""),
                    "event": events.get(entry.get("event")),
                    "call": calls.get(entry.get("call")),
                    "public": True,
                },
            )
            done += 1
            if progress:
                progress(done)
        for entry in data["publications"]:
            Publication.objects.update_or_create(
                published_on=date.fromisoformat(entry["published_on"]),
                outlet=entry["outlet"],
                title=entry["title"],
                defaults={"url": entry.get("url", ""), "call": calls.get("smart-city-halle-2022")},
            )
            done += 1
            if progress:
                progress(done)
    return {
        "events": Event.objects.count(),
        "milestones": Milestone.objects.count(),
        "publications": Publication.objects.count(),
    }


def halle_process_size(data: dict | None = None) -> int:
    data = data or json.loads(DATA.read_text(encoding="utf-8"))
    return len(data["events"]) + len(data["milestones"]) + len(data["publications"])
