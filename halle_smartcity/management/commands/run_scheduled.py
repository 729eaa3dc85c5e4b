import logging
import time
from datetime import timedelta

from celery.schedules import crontab
from celery.schedules import schedule as interval
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from halle_smartcity.celery import app

logger = logging.getLogger(__name__)


def _schedule(entry: dict):
    value = entry["schedule"]
    if isinstance(value, int | float):
        return interval(run_every=timedelta(seconds=value), app=app)
    value.app = app
    return value


class Command(BaseCommand):
    help = (
        "Run what Celery beat runs (CELERY_BEAT_SCHEDULE: the outbox sweep, reminders, the "
        "digest, the retention purge), in this process. For the embedded default without a "
        "broker. Every job is idempotent; on start each runs once to catch up."
    )
    # The system checks ask SQLite whether it supports JSON inside a transaction; while the
    # web process holds the write lock that fails and reads as "SQLite does not support
    # JSONFields", which would stop the scheduler before its first round. `migrate` and the
    # web process run the checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Check every N seconds (0: run everything once)."
        )

    def handle(self, *args, every, **options):
        jobs = {
            name: (import_string(entry["task"]), _schedule(entry))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        # Interval jobs are due at once; daily ones catch up a time of today that has passed
        # (the digest after 7:00), but not yesterday's (no digest at 3 a.m.).
        now = app.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        last_run = {
            name: midnight if isinstance(when, crontab) else now - timedelta(days=1)
            for name, (_task, when) in jobs.items()
        }
        while True:
            try:
                self.run_round(jobs, last_run, every=every)
            except Exception:
                # Whatever goes wrong around the jobs must not end the loop either: reminders,
                # the outbox and the purge would stop silently.
                logger.exception("Scheduled round failed; trying again in %s seconds", every)
                close_old_connections()
            if not every:
                return
            time.sleep(every)

    def run_round(self, jobs: dict, last_run: dict, *, every: int) -> None:
        """Run every job that is due (all of them without `every`), each on its own: a
        failing job is logged with its traceback and tried again in the next round."""
        results = []
        for name, (task, when) in jobs.items():
            if every and not when.is_due(last_run[name]).is_due:
                continue
            started = app.now()
            try:
                results.append(f"{name}: {task()}")
            except Exception:
                # One failing job (a locked SQLite file, a mail server away) must not stop
                # the others or the loop. Its last run is not moved on: it is due again in
                # the next round rather than only at its next regular time.
                logger.exception("Scheduled job %s failed", name)
                results.append(f"{name}: failed")
                close_old_connections()
            else:
                last_run[name] = started
        if results:
            self.stdout.write(f"{timezone.localtime():%d.%m.%Y %H:%M:%S}: " + "; ".join(results))
