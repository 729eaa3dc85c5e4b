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


def events_context(call, page: str) -> dict | None:
    """The next public events: of the call on its page, of any call on the home page (one
    query)."""
    events = (
        Event.objects.public()
        .upcoming(timezone.now())
        .filter(cancelled_at__isnull=True)
        .order_by("starts_at", "id")
    )
    if page == "call":
        events = events.filter(call=call)
    return {"events": list(events[:NEXT_EVENTS])}


def connect() -> None:
    register(Panel("process", "events/includes/process_panel.html", process_context))
    register(Panel("events", "events/includes/events_panel.html", events_context))
