"""The image view on the file system (the embedded default): who sees which image."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from ideas.models import IdeaImage
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, user_with_role
from tests.images import jpeg_bytes

pytestmark = pytest.mark.django_db


JPEG = jpeg_bytes(colour=(1, 2, 3))


def image_of(idea, *, small: bool = True) -> IdeaImage:
    return IdeaImage.objects.create(
        idea=idea,
        image=ContentFile(JPEG, "gross.jpg"),
        thumbnail=ContentFile(b"mittel-webp", "mittel.webp"),
        thumbnail_small=ContentFile(b"klein-webp", "klein.webp") if small else "",
    )


def url(image, variant="mittel"):
    return reverse("ideas:image", args=[image.pk, variant])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def status(client, path) -> int:
    response = client.get(path)
    if response.streaming:
        body(response)  # read to the end, which closes the file
    return response.status_code


def test_a_published_ideas_images_are_public_in_three_sizes(client):
    image = image_of(IdeaFactory())
    response = client.get(url(image, "gross"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == JPEG
    assert "public" in response["Cache-Control"]
    assert body(client.get(url(image, "mittel"))) == b"mittel-webp"
    small = client.get(url(image, "klein"))
    assert small["Content-Type"] == "image/webp"
    assert body(small) == b"klein-webp"


def test_an_image_without_small_thumbnail_serves_the_640_one(client):
    image = image_of(IdeaFactory(), small=False)
    assert body(client.get(url(image, "klein"))) == b"mittel-webp"


def test_a_drafts_images_are_the_authors_alone(client):
    draft = DraftFactory()
    image = image_of(draft)
    assert status(client, url(image)) == 404
    client.force_login(UserFactory())
    assert status(client, url(image)) == 404
    client.force_login(user_with_role(Role.EDITOR))
    assert status(client, url(image)) == 404
    client.force_login(draft.author)
    response = client.get(url(image))
    assert response.status_code == 200
    assert body(response) == b"mittel-webp"
    assert "private" in response["Cache-Control"]


def test_images_of_an_unpublished_call_are_for_editors_and_the_author(client):
    idea = IdeaFactory(call=CallFactory(published=False))
    image = image_of(idea)
    assert status(client, url(image)) == 404
    client.force_login(user_with_role(Role.EDITOR))
    assert status(client, url(image)) == 200
    client.force_login(idea.author)
    assert status(client, url(image)) == 200


def test_unknown_sizes_and_images_are_not_found_and_nothing_is_written(client):
    image = image_of(IdeaFactory())
    assert status(client, reverse("ideas:image", args=[image.pk, "riesig"])) == 404
    assert status(client, reverse("ideas:image", args=[image.pk + 1000, "mittel"])) == (404)
    assert client.post(url(image)).status_code == 405


def test_a_missing_file_is_not_found(client):
    image = image_of(IdeaFactory())
    image.thumbnail.storage.delete(image.thumbnail.name)
    assert status(client, url(image)) == 404


def test_media_files_are_not_served_directly(client):
    # Drafts' files lie next to the public ones: /media/ would hand them to anyone.
    image = image_of(DraftFactory())
    assert status(client, f"/media/{image.thumbnail.name}") == 404


def test_the_idea_page_links_every_image_through_the_view(client):
    idea = IdeaFactory()
    image = image_of(idea)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f'href="{url(image, "gross")}"' in page
    assert f'src="{url(image, "klein")}"' in page
    assert image.thumbnail.name not in page
