"""Uploaded files to and from one tar archive, through Django's default storage.

The same code backs up a MEDIA_ROOT on the file system and an S3 bucket, and restores into
either: the backup does not care where the images live today or where they will live after
the restore. Used by `manage.py media_backup` and `manage.py media_restore`.

Archive layout: `media/<storage name>` for every file, then `manifest.json` with each file's
size and SHA-256, so a restore can check the archive before it writes anything.
"""

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

MANIFEST = "manifest.json"
PREFIX = "media/"
FORMAT = 1


class ArchiveError(Exception):
    """The archive is damaged, incomplete or does not fit the storage."""


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


def storage_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        # A MEDIA_ROOT nobody has uploaded to yet does not exist: nothing to back up.
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from storage_names(storage, f"{directory}/{sub}" if directory else sub)


def _read(storage: Storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(time.time())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(content))


def archive_write(storage: Storage, out: BinaryIO, names: list[str], advance=None) -> list[Entry]:
    """Write the named files of `storage` as a tar stream to `out`; `advance()` per file."""
    entries = []
    with tarfile.open(fileobj=out, mode="w|") as tar:
        for name in names:
            content = _read(storage, name)
            entries.append(Entry(name, len(content), hashlib.sha256(content).hexdigest()))
            _add(tar, PREFIX + name, content)
            if advance:
                advance()
        manifest = {
            "format": FORMAT,
            "storage": f"{type(storage).__module__}.{type(storage).__qualname__}",
            "files": [entry.__dict__ for entry in entries],
        }
        _add(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
    return entries


def archive_manifest(path: Path) -> list[Entry]:
    """The archive's list of files. Raises ArchiveError when it is missing or unreadable."""
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.load(tar.extractfile(member))
    except (KeyError, tarfile.TarError, OSError, ValueError) as error:
        raise ArchiveError(f"{path} is not a complete media backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} has format {manifest.get('format')}, expected {FORMAT}.")
    return [Entry(**item) for item in manifest["files"]]


def archive_files(path: Path, entries: list[Entry]) -> Iterator[tuple[Entry, bytes]]:
    """Each file of the archive with its content, checked against the manifest."""
    expected = {entry.name: entry for entry in entries}
    seen = set()
    with tarfile.open(path, "r") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            name = member.name.removeprefix(PREFIX)
            entry = expected.get(name)
            if not member.isfile() or not member.name.startswith(PREFIX) or entry is None:
                raise ArchiveError(f"Unexpected member in the archive: {member.name}")
            content = tar.extractfile(member).read()
            if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
                raise ArchiveError(f"Checksum mismatch for {name}: the archive is damaged.")
            seen.add(name)
            yield entry, content
    missing = expected.keys() - seen
    if missing:
        raise ArchiveError(
            f"{len(missing)} files of the manifest are missing, e.g. {min(missing)}"
        )


def file_restore(storage: Storage, entry: Entry, content: bytes, *, replace: bool) -> str:
    """Put one file back under its exact name. Returns "restored", "present" (the same bytes
    are already there) or "conflict" (different bytes there and `replace` is off)."""
    if storage.exists(entry.name):
        if hashlib.sha256(_read(storage, entry.name)).hexdigest() == entry.sha256:
            return "present"
        if not replace:
            return "conflict"
        storage.delete(entry.name)
    saved = storage.save(entry.name, ContentFile(content))
    if saved != entry.name:
        # The database names this file: under another name the image would be lost.
        storage.delete(saved)
        raise ArchiveError(f"The storage stored {entry.name} as {saved}; nothing more written.")
    return "restored"
