"""Thin Celery tasks: they call the review's services, which do the work."""

from celery import shared_task

from . import notices


@shared_task(ignore_result=True)
def digest_plan() -> int:
    """Write the editors' daily digest of new ideas (every morning)."""
    return notices.digest_plan()
