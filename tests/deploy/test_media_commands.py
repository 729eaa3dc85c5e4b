"""media_backup and media_restore through Django's default storage: the same archive moves
images from the file system into an S3 bucket (moto's stand-alone server) and back, under
their exact names, and a damaged archive writes nothing."""

import io
import subprocess
import tarfile
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from halle_smartcity.media_archive import storage_names
from tests.processes import free_port

from .helpers import ROOT

FILES = {
    "ideas/3f2a.jpg": b"\xff\xd8 a photo " * 500,
    "ideas/3f2a-thumb.webp": b"RIFF thumbnail",
    "top-level.txt": b"a file outside any folder",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 30
        while True:
            assert process.poll() is None, "moto_server stopped"
            try:
                requests.get(endpoint, timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < end, "moto_server did not answer in time"
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def use_bucket(settings, s3_endpoint):
    """Make a fresh, private bucket the default storage."""
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-central-1", **credentials
    ).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )

    def switch():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": s3_endpoint,
                    "access_key": "test",
                    "secret_key": "test",
                    "region_name": "eu-central-1",
                    "addressing_style": "path",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        return bucket

    return switch


def fill(storage) -> None:
    for name, content in FILES.items():
        assert storage.save(name, ContentFile(content)) == name


def stored(storage) -> dict[str, bytes]:
    result = {}
    for name in storage_names(storage):
        with storage.open(name, "rb") as handle:
            result[name] = handle.read()
    return result


def test_images_move_from_the_file_system_into_a_bucket_and_back(settings, tmp_path, use_bucket):
    fill(default_storage)
    archive = tmp_path / "media.tar"
    call_command("media_backup", str(archive), stdout=io.StringIO())

    use_bucket()
    out = io.StringIO()
    call_command("media_restore", str(archive), stdout=out)
    assert "Restored 3 files, 0 were already there." in out.getvalue()
    assert default_storage.__class__.__name__ == "S3Storage"
    assert stored(default_storage) == FILES

    # From the bucket back to an empty directory on the file system.
    second = tmp_path / "from-bucket.tar"
    call_command("media_backup", str(second), stdout=io.StringIO())
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "fresh"
    call_command("media_restore", str(second), stdout=io.StringIO())
    files = {
        path.relative_to(tmp_path / "fresh").as_posix(): path.read_bytes()
        for path in Path(tmp_path / "fresh").rglob("*")
        if path.is_file()
    }
    assert files == FILES


def test_restoring_twice_changes_nothing_and_a_different_file_is_left_alone(tmp_path):
    fill(default_storage)
    archive = tmp_path / "media.tar"
    call_command("media_backup", str(archive), stdout=io.StringIO())

    out = io.StringIO()
    call_command("media_restore", str(archive), stdout=out)
    assert "Restored 0 files, 3 were already there." in out.getvalue()

    default_storage.delete("top-level.txt")
    default_storage.save("top-level.txt", ContentFile(b"changed since the backup"))
    with pytest.raises(CommandError, match="1 files exist with different content"):
        call_command("media_restore", str(archive), stdout=io.StringIO())
    assert stored(default_storage)["top-level.txt"] == b"changed since the backup"

    call_command("media_restore", str(archive), "--replace", stdout=io.StringIO())
    assert stored(default_storage)["top-level.txt"] == FILES["top-level.txt"]


def test_a_damaged_archive_writes_nothing(settings, tmp_path):
    fill(default_storage)
    archive = tmp_path / "media.tar"
    call_command("media_backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == "media/top-level.txt":
                content = content.upper()  # same size, other bytes
            target.addfile(member, io.BytesIO(content))

    settings.MEDIA_ROOT = tmp_path / "empty"
    with pytest.raises(CommandError, match=r"Checksum mismatch for top-level\.txt"):
        call_command("media_restore", str(damaged), stdout=io.StringIO())
    assert not (tmp_path / "empty").exists()


def test_an_archive_without_manifest_is_refused(tmp_path):
    broken = tmp_path / "broken.tar"
    with tarfile.open(broken, "w") as tar:
        info = tarfile.TarInfo("media/ideas/a.jpg")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(CommandError, match="not a complete media backup"):
        call_command("media_restore", str(broken), stdout=io.StringIO())
