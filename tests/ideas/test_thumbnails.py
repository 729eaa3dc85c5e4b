"""Thumbnails are made off the request: the submission stores the checked image and queues
the thumbnails after the commit; until they exist the pages show a placeholder."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ideas import tasks, thumbnails
from ideas.models import Idea, IdeaImage
from tests.images import photo

from .test_views import create_url, form_data

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_submission_stores_the_image_and_leaves_the_thumbnails_to_the_task(
    citizen_client, citizen, open_call, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = citizen_client.post(
            create_url(open_call), form_data(images=[photo("foto.jpg", size=(1600, 1200))])
        )
    assert response.status_code == 302
    idea = Idea.objects.get(author=citizen)
    image = idea.images.get()
    # The request stored the re-encoded image, but made no thumbnail.
    assert image.image.name and image.image.storage.exists(image.image.name)
    assert (image.thumbnail.name, image.thumbnail_small.name) == ("", "")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "data-image-placeholder" in page
    assert reverse("ideas:image", args=[image.pk, "klein"]) not in page

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    image.refresh_from_db()
    assert image.thumbnail.name.endswith(".webp") and image.thumbnail_small.name.endswith(".webp")
    client.cookies.clear()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "data-image-placeholder" not in page
    assert f'src="{reverse("ideas:image", args=[image.pk, "klein"])}"' in page
    served = client.get(reverse("ideas:image", args=[image.pk, "klein"]))
    assert served.status_code == 200
    small = Image.open(io.BytesIO(body(served)))
    assert (small.format, small.width) == ("WEBP", 320)
    served = client.get(reverse("ideas:image", args=[image.pk, "mittel"]))
    assert Image.open(io.BytesIO(body(served))).width == 640


def test_before_the_thumbnails_exist_the_image_view_serves_the_image(
    citizen_client, citizen, open_call, client
):
    # Without the on-commit callbacks running (the test's transaction never commits).
    citizen_client.post(create_url(open_call), form_data(images=[photo("foto.jpg")]))
    image = IdeaImage.objects.get(idea__author=citizen)
    assert not image.thumbnail
    served = client.get(reverse("ideas:image", args=[image.pk, "mittel"]))
    assert served.status_code == 200
    assert Image.open(io.BytesIO(body(served))).format == "JPEG"


def test_making_the_thumbnails_twice_writes_them_once(
    citizen_client, citizen, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(create_url(open_call), form_data(images=[photo("foto.jpg")]))
    image = IdeaImage.objects.get(idea__author=citizen)
    storage = image.image.storage
    files = set(storage.listdir("ideas")[1])
    assert thumbnails.image_thumbnails_make(image_id=image.pk) is False
    assert thumbnails.image_thumbnails_make(image_id=image.pk + 1000) is False
    assert set(storage.listdir("ideas")[1]) == files


def test_a_broker_that_is_down_does_not_fail_the_submission_and_beat_catches_up(
    citizen_client, citizen, open_call, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.image_thumbnails_make, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            create_url(open_call), form_data(images=[photo("foto.jpg")])
        )
    assert response.status_code == 302
    assert "Could not queue the thumbnails of image" in caplog.text
    image = IdeaImage.objects.get(idea__author=citizen)
    assert not image.thumbnail
    monkeypatch.undo()

    # A fresh image is left to its own task; an older one is queued again by beat.
    assert tasks.image_thumbnails_missing() == 0
    IdeaImage.objects.filter(pk=image.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.image_thumbnails_missing() == 1
    image.refresh_from_db()
    assert image.thumbnail.name.endswith(".webp")
    assert settings.CELERY_BEAT_SCHEDULE["image-thumbnails-missing"]["task"] == (
        "ideas.tasks.image_thumbnails_missing"
    )
