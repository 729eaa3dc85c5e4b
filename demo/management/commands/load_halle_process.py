import json

from django.core.management.base import BaseCommand, CommandError

from demo.events_process import DATA, halle_process_load, halle_process_size
from halle_smartcity.progress import Progress


class Command(BaseCommand):
    help = (
        "Load the events, milestones and publications of Halle's participation process, and "
        "a demo event to try registering. Safe to run again."
    )

    def handle(self, *args, **options):
        if not DATA.exists():
            raise CommandError(f"Demo data missing: {DATA}")
        data = json.loads(DATA.read_text(encoding="utf-8"))
        with Progress(
            total=halle_process_size(data), label="Events and timeline", stream=self.stdout
        ) as progress:
            counts = halle_process_load(data=data, progress=progress.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Process timeline ready: {counts['events']} events, "
                f"{counts['milestones']} milestones, {counts['publications']} publications."
            )
        )
