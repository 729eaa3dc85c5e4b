"""Thin Celery tasks: they call the outbox, which does the work."""

from celery import shared_task

from . import outbox


@shared_task(ignore_result=True)
def notices_sweep() -> int:
    """Send every pending notice that is due (queued after commits and every minute)."""
    return outbox.notices_send_pending()
