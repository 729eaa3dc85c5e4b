"""Thin Celery tasks: they call the outbox, which does the work."""

from celery import shared_task

from . import outbox


@shared_task(ignore_result=True)
def notices_sweep() -> int:
    """Send every pending notice that is due (queued after commits and every minute)."""
    return outbox.notices_send_pending()


@shared_task(name="ideas.tasks.notices_sweep", ignore_result=True)
def notices_sweep_under_its_old_name() -> int:
    """The sweep as web processes of the release before 2026-12 queued it (a rolling
    upgrade may leave such messages in the broker). Remove with the next release."""
    return outbox.notices_send_pending()
