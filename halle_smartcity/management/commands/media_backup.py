import os
import sys
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from halle_smartcity.media_archive import archive_write, storage_names
from halle_smartcity.progress import Progress


@contextmanager
def stdout_for_the_archive_only():
    """The real standard output as a binary file for the archive; meanwhile everything else
    written to standard output goes to standard error. A log line on stdout (a library's
    INFO message, JSON logs) would otherwise corrupt the archive."""
    sys.stdout.flush()
    original = os.dup(1)
    os.dup2(2, 1)
    try:
        with os.fdopen(os.dup(original), "wb") as out:
            yield out
    finally:
        sys.stdout.flush()
        os.dup2(original, 1)
        os.close(original)


class Command(BaseCommand):
    help = (
        "Copy every uploaded file (images of ideas) from the default storage, the file system "
        "or an S3 bucket, into one tar archive with a manifest of SHA-256 checksums. "
        "deploy/backup.sh calls it; `media_restore` puts the files back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            help="The tar file to write; '-' writes to standard output (e.g. through "
            "`docker compose exec -T`), progress then goes to standard error.",
        )

    def handle(self, *args, archive: str, **options):
        if archive == "-":
            with stdout_for_the_archive_only() as out:
                self._backup(out, report=self.stderr, label="standard output")
            return
        path = Path(archive)
        if not path.parent.is_dir():
            raise CommandError(f"The directory {path.parent} does not exist.")
        # Complete or absent: a backup cut short never sits under the archive's name.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as out:
                self._backup(out, report=self.stdout, label=str(path))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, path)

    def _backup(self, out, *, report, label: str) -> None:
        names = list(storage_names(default_storage))
        kind = default_storage.__class__.__name__  # the configured backend, not the lazy proxy
        report.write(f"Backing up {len(names)} files from the {kind}.")
        with Progress(total=len(names), label="Files", stream=report) as progress:
            entries = archive_write(default_storage, out, names, advance=progress.advance)
        size = sum(entry.size for entry in entries)
        report.write(self.style.SUCCESS(f"Wrote {label}: {len(entries)} files, {size:,} bytes."))
