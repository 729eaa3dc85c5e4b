"""Thin Celery tasks: they call the review's services, which do the work."""

from celery import shared_task

from . import notices, themes


@shared_task(ignore_result=True)
def digest_plan() -> int:
    """Write the editors' daily digest of new ideas (every morning)."""
    return notices.digest_plan()


@shared_task(ignore_result=True)
def themes_compute(run_id: int) -> int:
    """Compute one call's themes across action fields (queued from the admin)."""
    from .models import ThemeRun

    run = ThemeRun.objects.filter(pk=run_id).first()
    if run is None or run.state != ThemeRun.State.QUEUED:
        return 0
    try:
        return themes.themes_compute(run=run)
    except Exception:
        ThemeRun.objects.filter(pk=run_id).update(state=ThemeRun.State.FAILED)
        raise


@shared_task(ignore_result=True)
def themes_refresh() -> int:
    """Recompute the themes of calls whose ideas changed (hourly)."""
    return themes.themes_refresh()
