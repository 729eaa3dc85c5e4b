import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from halle_smartcity.media_archive import (
    ArchiveError,
    archive_files,
    archive_manifest,
    file_restore,
)
from halle_smartcity.progress import Progress


class Command(BaseCommand):
    help = (
        "Put the files of a `media_backup` archive back into the default storage (the file "
        "system or an S3 bucket) under their exact names. Checks every checksum before it "
        "writes; files already there with the same bytes are skipped, so it can be run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="The tar file media_backup wrote; '-' reads standard input."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite files that exist with different content (default: stop).",
        )

    def handle(self, *args, archive: str, replace: bool, **options):
        if archive == "-":
            # The archive is read twice (check, then restore): keep a copy of the stream.
            with tempfile.NamedTemporaryFile(suffix=".tar") as copy:
                shutil.copyfileobj(sys.stdin.buffer, copy)
                copy.flush()
                self._restore(Path(copy.name), replace)
        else:
            self._restore(Path(archive), replace)

    def _restore(self, archive: Path, replace: bool) -> None:
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        try:
            entries = archive_manifest(archive)
            # First the whole archive is read and checked, so a damaged one writes nothing.
            with Progress(total=len(entries), label="Checked", stream=self.stdout) as progress:
                for _entry in archive_files(archive, entries):
                    progress.advance()
            self.stdout.write(f"Archive checked: {len(entries)} files, all checksums match.")
            outcomes = Counter()
            conflicts = []
            with Progress(total=len(entries), label="Restored", stream=self.stdout) as progress:
                for entry, content in archive_files(archive, entries):
                    outcome = file_restore(default_storage, entry, content, replace=replace)
                    outcomes[outcome] += 1
                    if outcome == "conflict":
                        conflicts.append(entry.name)
                    progress.advance()
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {outcomes['restored']} files, {outcomes['present']} were already there."
        )
        if conflicts:
            raise CommandError(
                f"{len(conflicts)} files exist with different content and were left alone "
                f"(e.g. {conflicts[0]}). Restore into an empty storage, or pass --replace."
            )
        self.stdout.write(self.style.SUCCESS("Media restored."))
