"""Thin Celery tasks: they call the notice services, which do the work."""

from celery import shared_task

from . import notices


@shared_task(ignore_result=True)
def notices_sweep() -> int:
    """Send every pending notice that is due (queued after commits and every minute)."""
    return notices.notices_send_pending()


@shared_task(ignore_result=True)
def notices_plan() -> int:
    """Write the deadline reminders and call-closed notices due now (every five minutes)."""
    from .board import shortlist_notices_plan

    return notices.notices_plan() + shortlist_notices_plan()


@shared_task(ignore_result=True)
def notices_digest() -> int:
    """Write the editors' daily digest (every morning)."""
    return notices.notices_plan_digest()
