"""Thin Celery tasks: they call the ideas app's services, which do the work."""

from celery import shared_task

from . import counts, notices, services, similarity_search, thumbnails


@shared_task(ignore_result=True)
def calls_notices_plan() -> int:
    """Write the deadline reminders due now, and record calls that have closed with the
    thanks to their authors (every five minutes)."""
    return notices.deadline_reminders_plan() + services.calls_close()


@shared_task(ignore_result=True)
def counts_refresh() -> int:
    """Recompute the stored counts of published ideas (every minute, and soon after changes)."""
    return counts.counts_refresh()


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def image_thumbnails_make(image_id: int) -> bool:
    """The thumbnails of one image (queued after its submission is committed)."""
    return thumbnails.image_thumbnails_make(image_id=image_id)


@shared_task(ignore_result=True)
def image_thumbnails_missing() -> int:
    """Queue the thumbnails of images that have none yet (every five minutes)."""
    return thumbnails.image_thumbnails_missing()


@shared_task(ignore_result=True)
def idea_terms_missing() -> int:
    """Analyse ideas whose text changed without the form (every minute): the admin, paper
    intake, imports. The form's saves are analysed at once."""
    return similarity_search.idea_terms_missing()
