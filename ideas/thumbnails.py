"""Thumbnails of idea images, made off the request: the submission stores the checked and
re-encoded image and queues `tasks.image_thumbnails_make` after the commit (in-process in the
embedded default); until it has run, the pages show a placeholder."""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import page_tags
from .images import thumbnails_make
from .models import IdeaImage
from .services import files_delete

logger = logging.getLogger(__name__)

# An image younger than this is left to the task queued with it.
THUMBNAIL_GRACE = timedelta(minutes=5)


def thumbnails_enqueue(image_id: int) -> None:
    """Ask a worker for an image's thumbnails (in-process without a broker). A broker that
    is down must not fail the saved idea: the pages show a placeholder, and
    `image_thumbnails_missing` queues it again."""
    from . import tasks  # tasks call services: imported here, not at the top

    try:
        tasks.image_thumbnails_make.delay(image_id)
    except Exception:  # the broker's failure, whatever its kind
        logger.warning("Could not queue the thumbnails of image %s.", image_id, exc_info=True)


def image_thumbnails_make(*, image_id: int) -> bool:
    """Make and store the two thumbnails of an image from its stored file. Idempotent: an
    image that has them, or is gone, is left alone (returns False).

    Raises the store's error when a file cannot be read or written (the task retries)."""
    image = IdeaImage.objects.filter(pk=image_id).first()
    if image is None or (image.thumbnail and image.thumbnail_small):
        return False
    with image.image.open("rb") as stored:
        thumbnail, thumbnail_small = thumbnails_make(stored)
    written = []
    try:
        image.thumbnail.save("thumb.webp", ContentFile(thumbnail), save=False)
        written.append((image.thumbnail.storage, image.thumbnail.name))
        image.thumbnail_small.save("thumb-small.webp", ContentFile(thumbnail_small), save=False)
        written.append((image.thumbnail_small.storage, image.thumbnail_small.name))
        # Only the thumbnails: an editor's change of the description meanwhile stays.
        updated = IdeaImage.objects.filter(pk=image.pk, thumbnail="").update(
            thumbnail=image.thumbnail.name, thumbnail_small=image.thumbnail_small.name
        )
    except Exception:
        files_delete(written)
        raise
    if not updated:
        # Deleted meanwhile, or another run was first: these files belong to nothing.
        files_delete(written)
        return False
    # update() sends no signal: the pages showing this image (its idea's page and the lists'
    # cards) are made stale here, as a save would.
    transaction.on_commit(lambda: page_tags.image_changed(instance=image))
    return True


def image_thumbnails_missing() -> int:
    """Queue the thumbnails of images that have none (a broker that was down, a worker that
    died): run by beat. Returns how many were queued."""
    ids = list(
        IdeaImage.objects.filter(thumbnail="", created_at__lt=timezone.now() - THUMBNAIL_GRACE)
        .order_by("id")
        .values_list("id", flat=True)[:500]
    )
    for image_id in ids:
        thumbnails_enqueue(image_id)
    return len(ids)
