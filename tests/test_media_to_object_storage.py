"""manage.py media_to_object_storage: the images of an installation that started on the file
system move to the bucket under the same names, and the site serves them from there."""

from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.urls import reverse

from ideas.models import IdeaImage
from tests.factories import DraftFactory, IdeaFactory
from tests.processes import fetch

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_images(settings):
    """Two ideas' images as the file system storage left them in MEDIA_ROOT."""
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)
    images = []
    for idea in (IdeaFactory(), DraftFactory()):
        names = {
            field: disk.save(f"ideas/{field}-{idea.pk}.webp", StringIO(f"{field} {idea.pk}"))
            for field in ("image", "thumbnail", "thumbnail_small")
        }
        images.append(IdeaImage.objects.create(idea=idea, **names))
    return images


def run(*args) -> str:
    out = StringIO()
    call_command("media_to_object_storage", *args, stdout=out, stderr=out)
    return out.getvalue()


def local_names(settings) -> set[str]:
    root = settings.MEDIA_ROOT
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def test_dry_run_copies_nothing(local_images, s3_bucket, settings):
    output = run("--dry-run")
    assert "6 files: would copy 6, already in the bucket 0" in output
    assert s3_bucket.keys() == set()
    assert len(local_names(settings)) == 6


def test_files_move_with_progress_and_the_site_serves_them_from_the_bucket(
    local_images, s3_bucket, settings, client
):
    before = local_names(settings)
    output = run()
    assert "Moving to the bucket: [" in output and "6/6" in output
    assert "6 files: copied 6, already in the bucket 0, conflicts 0." in output
    assert s3_bucket.keys() == before
    assert local_names(settings) == before  # local copies stay unless asked
    published = local_images[0]
    response = client.get(reverse("ideas:image", args=[published.pk, "mittel"]))
    assert response.status_code == 302
    assert fetch(response["Location"]).text == f"thumbnail {published.idea.pk}"


def test_a_second_run_copies_nothing_and_can_remove_the_local_files(
    local_images, s3_bucket, settings
):
    run()
    assert "copied 0, already in the bucket 6" in run()
    output = run("--delete-local")
    assert "copied 0, already in the bucket 6, conflicts 0, local copies removed 6." in output
    assert local_names(settings) == set()
    assert len(s3_bucket.keys()) == 6


def test_an_interrupted_run_is_finished_by_the_next(local_images, s3_bucket, settings):
    first = local_images[0]
    s3_bucket.client.put_object(
        Bucket=s3_bucket.name, Key=first.image.name, Body=f"image {first.idea.pk}".encode()
    )
    assert "copied 5, already in the bucket 1" in run()
    assert s3_bucket.keys() == local_names(settings)


def test_a_different_file_under_the_same_name_is_left_alone(local_images, s3_bucket, settings):
    name = local_images[0].thumbnail.name
    # Another size than the local file's ("thumbnail <pk>"), whatever the pk: the command
    # compares sizes, and "something else" was as long as "thumbnail 1234".
    other = b"something else, longer than any local file of this test"
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=name, Body=other)
    with pytest.raises(CommandError, match="1 files were not moved"):
        run("--delete-local")
    assert s3_bucket.read(name) == other
    assert local_names(settings) == {name}  # the others moved; this one stays on disk


def test_without_a_bucket_the_command_refuses(local_images):
    with pytest.raises(CommandError, match="S3_BUCKET"):
        run()
