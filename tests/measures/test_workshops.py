"""What a workshop made of each idea: recorded by editors (the photo checked like idea
images), shown on the idea's and the measure's pages and on the idea's path, and the author
told once."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from events.models import Registration, RegistrationStatus
from ideas.models import Status
from measures import services
from measures.models import Invitation, InvitationStatus, Measure, WorkshopResult
from notices.models import Notice
from tests.events.factories import EventFactory
from tests.factories import IdeaFactory, user_in_role, user_with_role
from tests.factories import log_in as login
from tests.images import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "author", "assessor", "board", "editor", "administrator"]


@pytest.fixture
def invited():
    """An idea whose giver was invited to a design sprint."""
    idea = IdeaFactory(status=Status.QUALIFIED, wants_workshop=True, call__published=True)
    event = EventFactory(title="Design-Sprint V")
    Invitation.objects.create(idea=idea, event=event)
    return idea, event


def form_data(idea, event, **fields) -> dict:
    return {
        "idea": idea.pk,
        "event": event.pk,
        "outcome": "Die Idee wird mit zwei anderen gebündelt.",
        "next_step": "Steckbrief schreiben",
        "measure": "",
        "photo_alt": "",
        **fields,
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_a_workshop_result(client, role, invited):
    idea, event = invited
    login(client, user_in_role(role, author=idea.author))
    response = client.post(
        reverse("admin:measures_workshopresult_add"),
        {
            **form_data(idea, event, photo_alt="Pinnwand mit Zetteln"),
            "photo_upload": upload("foto.jpg", jpeg_bytes(gps=True)),
        },
    )
    if role == "editor":
        assert response.status_code == 302
        result = WorkshopResult.objects.get()
        # Re-encoded without the camera's location data.
        with result.photo.open("rb") as file, Image.open(io.BytesIO(file.read())) as stored:
            assert not stored.getexif().get_ifd(0x8825)
        notices = Notice.objects.filter(kind="workshop_result")
        assert [notice.email for notice in notices] == [idea.author.email]
    else:
        assert response.status_code in (302, 403)
        if role != "editor" and response.status_code == 302:
            assert "login" in response["Location"]
        assert not WorkshopResult.objects.exists()


def test_a_file_that_is_no_image_is_refused_in_german(client, invited):
    idea, event = invited
    login(client, user_with_role("Redaktion"))
    response = client.post(
        reverse("admin:measures_workshopresult_add"),
        {
            **form_data(idea, event, photo_alt="x"),
            "photo_upload": upload("foto.jpg", b"kein Bild"),
        },
    )
    assert response.status_code == 200
    assert "kein gültiges Bild" in response.content.decode()
    assert not WorkshopResult.objects.exists()


def test_a_photo_needs_a_description(client, invited, settings):
    idea, event = invited
    login(client, user_with_role("Redaktion"))
    response = client.post(
        reverse("admin:measures_workshopresult_add"),
        {**form_data(idea, event), "photo_upload": upload("foto.jpg", jpeg_bytes())},
    )
    assert response.status_code == 409
    assert "beschreiben Sie das Foto" in response.content.decode()
    assert not WorkshopResult.objects.exists()
    # Nothing stored for the refused result either.
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_changing_a_result_tells_nobody_again(client, invited):
    idea, event = invited
    login(client, user_with_role("Redaktion"))
    client.post(reverse("admin:measures_workshopresult_add"), form_data(idea, event))
    result = WorkshopResult.objects.get()
    client.post(
        reverse("admin:measures_workshopresult_change", args=[result.pk]),
        form_data(idea, event, outcome="Geändert"),
    )
    result.refresh_from_db()
    assert result.outcome == "Geändert"
    assert Notice.objects.filter(kind="workshop_result").count() == 1


def test_the_result_shows_on_the_idea_and_the_measure_and_on_the_path(client, invited):
    idea, event = invited
    editor = user_with_role("Redaktion")
    measure = services.measure_save(
        measure=Measure(call=idea.call, title="Smarte Laternen", slug="laternen", published=True),
        by=editor,
        ideas=[idea],
    )
    login(client, editor)
    client.post(
        reverse("admin:measures_workshopresult_add"),
        form_data(idea, event, measure=measure.pk),
    )
    client.logout()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Die Idee wird mit zwei anderen gebündelt." in page
    assert "Steckbrief schreiben" in page
    start = page.index("Werkstatt</span>")
    assert "erreicht am" in page[start : start + 120]
    assert page.count("noch nicht") == 2  # adopted and implemented are still open
    measure_page = client.get(measure.get_absolute_url()).content.decode()
    assert "Design-Sprint V" in measure_page and "Die Idee wird mit zwei" in measure_page


def test_attending_counts_as_the_workshop_step(client, invited):
    idea, event = invited
    registration = Registration.objects.create(
        event=event,
        name="A",
        email="a@example.org",
        status=RegistrationStatus.CONFIRMED,
        attended=True,
    )
    Invitation.objects.filter(idea=idea).update(
        status=InvitationStatus.ACCEPTED, registration=registration
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    start = page.index("Werkstatt</span>")
    assert "erreicht am" in page[start : start + 120]


def test_the_photo_of_an_idea_in_a_hidden_call_is_not_served(client, invited):
    idea, event = invited
    login(client, user_with_role("Redaktion"))
    client.post(
        reverse("admin:measures_workshopresult_add"),
        {
            **form_data(idea, event, photo_alt="Pinnwand"),
            "photo_upload": upload("foto.jpg", jpeg_bytes()),
        },
    )
    result = WorkshopResult.objects.get()
    url = reverse("measures:workshop-photo", args=[result.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    idea.call.published = False
    idea.call.save()
    assert client.get(url).status_code == 404
