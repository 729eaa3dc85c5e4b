"""The events app's panels on the home page and a call's page (ideas/panels.py): where the
process stands, and the next events."""

from django.utils import timezone

from ideas.panels import Panel, register

from .models import Event
from .phases import phases_of_call

NEXT_EVENTS = 3


def process_context(call, page: str) -> dict | None:
    if call is None:
        return None
    steps = phases_of_call(call)
    return {"steps": steps, "current": next((s for s in steps if s.state == "now"), None)}


def today() -> str:
    # The phases' states change with the day (cached per day, ideas/panels.py).
    return timezone.localdate().isoformat()


def events_context(call, page: str) -> dict | None:
    """The next public events: of the call on its page, of any call on the home page (one
    query); shown until the first of them ends (then another may come in)."""
    events = (
        Event.objects.public()
        .upcoming(timezone.now())
        .filter(cancelled_at__isnull=True)
        .order_by("starts_at", "id")
    )
    if page == "call":
        events = events.filter(call=call)
    shown = list(events[:NEXT_EVENTS])
    return {"events": shown, "valid_until": min((e.ends_at for e in shown), default=None)}


def connect() -> None:
    register(Panel("process", "events/includes/process_panel.html", process_context, today))
    register(Panel("events", "events/includes/events_panel.html", events_context))
