"""Thin Celery tasks: they call the ideas app's services, which do the work."""

from celery import shared_task

from . import notices


@shared_task(ignore_result=True)
def calls_notices_plan() -> int:
    """Write the deadline reminders and call-closed notices due now (every five minutes)."""
    return notices.calls_notices_plan()
