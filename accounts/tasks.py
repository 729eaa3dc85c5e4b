"""Thin Celery tasks: they call the account services, which do the work."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def personal_data_purge() -> dict[str, int]:
    """Purge personal data whose retention period is over (nightly)."""
    return services.personal_data_purge()
