"""Thin Celery tasks: they call the event services, which do the work."""

from celery import shared_task

from . import notices


@shared_task(ignore_result=True)
def event_reminders_plan() -> int:
    """Write the reminders for tomorrow's events (every five minutes; see
    events.notices.event_reminders_plan). The notice sweep sends them."""
    return notices.event_reminders_plan()
