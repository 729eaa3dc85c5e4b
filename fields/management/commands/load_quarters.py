from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fields.services import QuarterFileError, quarters_load, quarters_read
from halle_smartcity.progress import Progress


class Command(BaseCommand):
    help = "Load the city's districts and quarters from a CSV file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.MITMACHEN_QUARTERS_FILE))

    def handle(self, *args, path, **options):
        try:
            rows = quarters_read(Path(path))
        except (OSError, QuarterFileError) as error:
            raise CommandError(str(error)) from error
        with Progress(total=len(rows), label="Quarters", stream=self.stdout) as progress:
            result = quarters_load(rows=rows, progress=progress.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Quarters: {result.created} created, {result.updated} updated, "
                f"{result.deactivated} deactivated."
            )
        )
