"""Thin Celery tasks: they call the ideas app's services, which do the work."""

from celery import shared_task

from . import counts, notices, services


@shared_task(ignore_result=True)
def calls_notices_plan() -> int:
    """Write the deadline reminders due now, and record calls that have closed with the
    thanks to their authors (every five minutes)."""
    return notices.deadline_reminders_plan() + services.calls_close()


@shared_task(ignore_result=True)
def counts_refresh() -> int:
    """Recompute the stored counts of published ideas (every minute, and soon after changes)."""
    return counts.counts_refresh()
