"""Images on S3-compatible object storage: moto's stand-alone server on a free port, a fresh
private bucket per test (the moto_server and s3_bucket fixtures in tests/conftest.py)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.services import user_erase
from halle_smartcity.object_storage import media_storage
from ideas.models import Idea, IdeaImage, Status
from tests.factories import DraftFactory, IdeaFactory, UserFactory, idea_form_data
from tests.images import jpeg_bytes, photo
from tests.processes import fetch, free_port

pytestmark = pytest.mark.django_db

NOT_STORED = (
    "Your images could not be stored just now, so the form has not been saved. Your text is "
    "still here: please try again in a few minutes, or save without images."
)


def stored_image(idea) -> IdeaImage:
    return IdeaImage.objects.create(
        idea=idea,
        image=ContentFile(jpeg_bytes(colour=(9, 9, 9)), "gross.jpg"),
        thumbnail=ContentFile(b"mittel-webp", "mittel.webp"),
        thumbnail_small=ContentFile(b"klein-webp", "klein.webp"),
    )


def names(image: IdeaImage) -> set[str]:
    return {image.image.name, image.thumbnail.name, image.thumbnail_small.name}


def image_url(image, variant="mittel"):
    return reverse("ideas:image", args=[image.pk, variant])


def test_an_uploaded_photo_lands_in_the_bucket_as_private_objects(
    s3_bucket, citizen_client, citizen, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            reverse("ideas:idea-create", args=[open_call.slug]),
            idea_form_data(images=[photo("saale.jpg")]),
        )
    assert response.status_code == 302
    image = Idea.objects.get(author=citizen).images.get()
    assert s3_bucket.keys() == names(image)
    # Keys with a random part: nobody guesses one from another.
    assert all(len(name.split("/")[-1].split(".")[0]) == 32 for name in names(image))
    assert s3_bucket.read(image.image.name)[:3] == b"\xff\xd8\xff"  # the re-encoded JPEG
    # Private: an unsigned request for the object is refused.
    direct = fetch(f"{s3_bucket.server.url}/{s3_bucket.name}/{image.image.name}")
    assert direct.status_code == 403


def test_a_published_ideas_image_redirects_to_a_signed_url_that_serves_it(client, s3_bucket):
    image = stored_image(IdeaFactory())
    response = client.get(image_url(image, "gross"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_bucket.server.url}/{s3_bucket.name}/{image.image.name}?")
    assert "X-Amz-Signature=" in location
    assert "X-Amz-Expires=60" in location
    assert "private" in response["Cache-Control"]
    served = fetch(location)
    assert served.status_code == 200
    assert served.content == s3_bucket.read(image.image.name)
    assert fetch(client.get(image_url(image, "klein"))["Location"]).content == (b"klein-webp")


def test_a_drafts_image_in_the_bucket_is_only_for_its_author(client, s3_bucket):
    draft = DraftFactory()
    image = stored_image(draft)
    assert client.get(image_url(image)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(image_url(image)).status_code == 404
    client.force_login(draft.author)
    response = client.get(image_url(image))
    assert response.status_code == 302
    assert fetch(response["Location"]).content == b"mittel-webp"


def test_removing_an_image_deletes_its_objects(
    s3_bucket, client, django_capture_on_commit_callbacks
):
    idea = DraftFactory()
    kept, removed = stored_image(idea), stored_image(idea)
    client.force_login(idea.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ideas:idea-edit", args=[idea.pk]),
            idea_form_data(intent="save", remove_images=[removed.pk]),
        )
    assert response.status_code == 302
    assert s3_bucket.keys() == names(kept)


def test_deleting_a_draft_deletes_its_objects(
    s3_bucket, client, django_capture_on_commit_callbacks
):
    draft = DraftFactory()
    stored_image(draft)
    other = stored_image(IdeaFactory())
    client.force_login(draft.author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ideas:idea-delete", args=[draft.pk]))
    assert not Idea.objects.filter(pk=draft.pk).exists()
    assert s3_bucket.keys() == names(other)


def test_deleting_an_account_deletes_its_drafts_objects(
    s3_bucket, django_capture_on_commit_callbacks
):
    author = UserFactory()
    stored_image(DraftFactory(author=author))
    submitted = stored_image(IdeaFactory(author=author))
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=author)
    # A submitted idea stays public without its author (accounts.services.user_erase).
    assert s3_bucket.keys() == names(submitted)


@pytest.fixture
def unreachable_store(settings):
    """Object storage on a port where nothing listens."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(
            bucket="bilder",
            endpoint_url=f"http://127.0.0.1:{free_port()}",
            access_key="key",
            secret_key="secret",
            region="us-east-1",
        ),
    }


def not_stored_message() -> str:
    with translation.override("de"):
        return escape(gettext(NOT_STORED))


def test_the_form_keeps_the_text_when_the_store_is_unreachable(
    unreachable_store, citizen_client, citizen, open_call
):
    response = citizen_client.post(
        reverse("ideas:idea-create", args=[open_call.slug]),
        idea_form_data(images=[photo("saale.jpg")]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert not_stored_message() in page
    assert "Pegelsensoren melden Hochwasser früh." in page  # what was typed is still there
    assert not Idea.objects.filter(author=citizen).exists()


def test_an_edit_with_the_store_unreachable_keeps_what_was_saved(
    s3_bucket, client, settings, django_capture_on_commit_callbacks
):
    idea = DraftFactory(summary="Die gespeicherte Fassung.")
    image = stored_image(idea)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(bucket="weg", endpoint_url=f"http://127.0.0.1:{free_port()}"),
    }
    client.force_login(idea.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ideas:idea-edit", args=[idea.pk]),
            idea_form_data(intent="save", summary="Die neue Fassung.", images=[photo()]),
        )
    assert response.status_code == 400
    assert not_stored_message() in response.content.decode()
    idea.refresh_from_db()
    assert idea.summary == "Die gespeicherte Fassung."
    assert idea.status == Status.DRAFT
    assert list(idea.images.all()) == [image]
    assert s3_bucket.keys() == names(image)
