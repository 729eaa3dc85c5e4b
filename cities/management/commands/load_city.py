from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cities.apply import city_apply
from cities.folder import CityFolderInvalid, folder_read
from halle_smartcity.progress import Progress


class Command(BaseCommand):
    help = (
        "Check a city folder (docs/neue-stadt.md) and load its action fields, quarters, legal "
        "pages and first call (idempotent). Without DIR: the folder of the CITY_DIR setting."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=None, metavar="DIR")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would change.")

    def handle(self, *args, directory, dry_run, **options):
        path = Path(directory or settings.CITY_DIR)
        self.stdout.write(f"Prüfe den Stadt-Ordner {path} …")
        try:
            folder = folder_read(path)
        except CityFolderInvalid as error:
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"Der Ordner enthält {len(error.problems)} Fehler; nichts wurde geändert."
            ) from error
        with Progress(total=len(folder.quarters), label="Stadtteile", stream=self.stdout) as bar:
            result = city_apply(folder=folder, dry_run=dry_run, progress=bar.update)
        for change in result.changes:
            self.stdout.write(f"  {change}")
        if dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"Probelauf: {len(result.changes)} Änderungen würden angewandt; "
                    "nichts wurde geändert."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Stadt „{folder.city['name']}“ geladen: {len(result.changes)} Änderungen."
            )
        )
        if path.resolve() != Path(settings.CITY_DIR).resolve():
            self.stdout.write(
                self.style.WARNING(
                    f"Hinweis: Namen, Karte, Logo und Absender liest die Website aus CITY_DIR "
                    f"({settings.CITY_DIR}); setzen Sie CITY_DIR={path}, damit sie zu dieser "
                    "Stadt passen."
                )
            )
