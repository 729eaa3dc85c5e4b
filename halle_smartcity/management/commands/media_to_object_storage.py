from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from halle_smartcity.object_storage import is_local
from halle_smartcity.progress import Progress


class Command(BaseCommand):
    help = (
        "Move the uploaded files in MEDIA_ROOT to the object store (S3_BUCKET) under the same "
        "names, so that the database's references stay valid. A file the bucket already holds "
        "with the same size is skipped: after an interruption, run it again. Local files stay "
        "unless --delete-local is given (each is removed once the bucket holds it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what would be copied."
        )
        parser.add_argument(
            "--delete-local",
            action="store_true",
            help="Remove each local file once the bucket holds it with the same size.",
        )
        parser.add_argument(
            "--source", help="The directory to read (default: MEDIA_ROOT).", default=None
        )

    def handle(self, *args, dry_run, delete_local, source, **options):
        target = storages["default"]
        if is_local(target):
            raise CommandError(
                "The default storage is the file system: set S3_BUCKET (with S3_ENDPOINT_URL "
                "and the keys) for this command, then run it."
            )
        root = Path(source or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"{root} is not a directory.")
        files = sorted(path for path in root.rglob("*") if path.is_file())
        counts = Counter()
        conflicts = []
        label = "Checking (dry run)" if dry_run else "Moving to the bucket"
        with Progress(total=len(files), label=label, stream=self.stdout) as progress:
            for path in files:
                name = path.relative_to(root).as_posix()
                outcome = self._move(target, path, name, dry_run=dry_run)
                counts[outcome] += 1
                if outcome == "conflict":
                    conflicts.append(name)
                elif delete_local and not dry_run:
                    path.unlink()
                    counts["deleted"] += 1
                progress.advance()
        for name in conflicts:
            self.stderr.write(
                f"{name}: the bucket holds another file of this name (different size); "
                "left as it is on both sides."
            )
        verb = "would copy" if dry_run else "copied"
        summary = (
            f"{len(files)} files: {verb} {counts['copied']}, already in the bucket "
            f"{counts['present']}, conflicts {counts['conflict']}"
        )
        if delete_local and not dry_run:
            summary += f", local copies removed {counts['deleted']}"
        self.stdout.write(self.style.SUCCESS(summary + "."))
        if conflicts:
            raise CommandError(f"{len(conflicts)} files were not moved (see above).")

    def _move(self, target, path: Path, name: str, *, dry_run: bool) -> str:
        size = path.stat().st_size
        if target.exists(name):
            return "present" if target.size(name) == size else "conflict"
        if dry_run:
            return "copied"
        with path.open("rb") as content:
            stored = target.save(name, content)
        if stored != name:
            # Someone stored the name in the meantime; the store kept both under two names.
            target.delete(stored)
            return "present" if target.size(name) == size else "conflict"
        return "copied"
