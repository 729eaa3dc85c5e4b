"""Thin Celery tasks: they call the board's services, which do the work."""

from celery import shared_task

from . import notices


@shared_task(ignore_result=True)
def shortlists_notices_plan() -> int:
    """Freeze opened shortlists and write the members' notices (every five minutes)."""
    return notices.shortlists_notices_plan()
