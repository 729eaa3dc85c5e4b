"""Thin Celery tasks: they call the discussion's services, which do the work."""

from celery import shared_task

from . import following_notices


@shared_task(ignore_result=True)
def comment_digests_plan() -> int:
    """Write the followers' daily digests of yesterday's new comments."""
    return following_notices.comment_digests_plan()
