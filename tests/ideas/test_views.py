from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ideas.models import Call, Idea, Status
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, idea_form_data
from tests.factories import action_field as field
from tests.images import jpeg_bytes, photo, upload

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    return idea_form_data(
        **{
            "target_groups": "Anwohnende",
            "action_fields": [field("verwaltung").pk, field("mobilitaet").pk],
            **overrides,
        }
    )

def create_url(call):
    return reverse("ideas:idea-create", args=[call.slug])


# --- Submitting -----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, open_call):
    response = client.get(create_url(open_call))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_citizen_submits_an_idea_with_a_photo(
    citizen_client, citizen, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            create_url(open_call), form_data(images=[photo("saale.jpg", gps=True)])
        )
    idea = Idea.objects.get(author=citizen)
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:idea-submitted", args=[idea.pk])
    assert idea.status == Status.SUBMITTED
    assert idea.images.count() == 1
    assert set(idea.action_fields.values_list("slug", flat=True)) == {"verwaltung", "mobilitaet"}
    confirmation = citizen_client.get(response["Location"])
    assert idea.reference in confirmation.content.decode()
    assert len(mail.outbox) == 1 and idea.reference in mail.outbox[0].body


def test_draft_can_be_saved_incomplete(citizen_client, citizen, open_call):
    response = citizen_client.post(
        create_url(open_call), {"title": "Erst mal ein Titel", "intent": "save"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get(author=citizen)
    assert idea.status == Status.DRAFT
    assert response["Location"] == reverse("ideas:my-ideas")


def test_incomplete_submit_keeps_the_draft_and_shows_what_is_missing(
    citizen_client, citizen, open_call
):
    response = citizen_client.post(create_url(open_call), form_data(summary="", images=[photo()]))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Sensoren an der Saale" in page  # what was typed is still in the form
    idea = Idea.objects.get(author=citizen)
    assert idea.status == Status.DRAFT
    assert idea.images.count() == 1  # the photo is not lost either
    # The form now posts to the saved draft, so a second try does not make a second idea.
    assert reverse("ideas:idea-edit", args=[idea.pk]) in page


def test_invalid_input_keeps_typed_text_and_saves_nothing(citizen_client, citizen, open_call):
    response = citizen_client.post(create_url(open_call), form_data(title="x" * 121))
    assert response.status_code == 400
    assert "Pegelsensoren melden Hochwasser früh." in response.content.decode()
    assert not Idea.objects.filter(author=citizen).exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tarnung.jpg", b"MZ\x90\x00 not an image at all", "kein gültiges Bild"),
        ("kaputt.jpg", jpeg_bytes(size=(1000, 800))[:500], "kein gültiges Bild"),
    ],
)
def test_bad_upload_is_refused_with_message_and_text_kept(
    citizen_client, citizen, open_call, name, content, code
):
    response = citizen_client.post(
        create_url(open_call),
        form_data(images=[upload(name, content)]),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page
    assert code in page
    assert "Pegelsensoren melden Hochwasser früh." in page
    assert not Idea.objects.filter(author=citizen).exists()


def test_six_images_are_refused(citizen_client, citizen, open_call):
    response = citizen_client.post(
        create_url(open_call), form_data(images=[photo(f"{n}.jpg") for n in range(6)])
    )
    assert response.status_code == 400
    assert not Idea.objects.filter(author=citizen).exists()


def test_oversized_request_is_refused_before_reading(citizen_client, open_call, settings):
    settings.MITMACHEN_MAX_REQUEST_BYTES = 50_000
    response = citizen_client.post(
        create_url(open_call),
        form_data(images=[upload("gross.jpg", b"\xff" * 60_000)]),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()


def test_script_in_every_text_field_is_shown_escaped(client, citizen_client, citizen, open_call):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = form_data(
        **{
            name: hostile
            for name in ("title", "summary", "description", "problem", "benefit", "target_groups")
        }
    )
    data["title"] = hostile[:120]
    citizen_client.post(create_url(open_call), data)
    idea = Idea.objects.get(author=citizen)
    for url in (idea.get_absolute_url(), reverse("ideas:idea-list")):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_double_post_of_the_same_form_makes_one_idea(citizen_client, citizen, open_call):
    token = "0b7f6f1c-6d4a-4c1a-9a7e-3c1f1c2b5a10"
    for _ in range(2):
        citizen_client.post(create_url(open_call), form_data(form_token=token))
    assert Idea.objects.filter(author=citizen).count() == 1


def test_closed_call_takes_no_new_ideas(citizen_client, citizen):
    past = timezone.now() - timedelta(days=1)
    call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    response = citizen_client.post(create_url(call), form_data())
    assert response.status_code == 302
    assert not Idea.objects.filter(author=citizen).exists()


def test_call_not_yet_open_takes_no_ideas(citizen_client, citizen):
    future = timezone.now() + timedelta(days=3)
    call = CallFactory(opens_at=future, closes_at=future + timedelta(days=30))
    citizen_client.post(create_url(call), form_data())
    assert not Idea.objects.filter(author=citizen).exists()


# --- Editing ------------------------------------------------------------------------------


def test_author_edits_a_submitted_idea_until_the_deadline(citizen_client, citizen, open_call):
    idea = IdeaFactory(author=citizen, call=open_call)
    response = citizen_client.post(
        reverse("ideas:idea-edit", args=[idea.pk]), form_data(title="Geänderter Titel")
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Geänderter Titel"
    assert idea.status == Status.SUBMITTED


def test_editing_after_the_deadline_is_refused(citizen_client, citizen):
    idea = IdeaFactory(author=citizen, title="Bleibt so")
    now = timezone.now()
    Call.objects.filter(pk=idea.call_id).update(
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(seconds=5),
        deadline=now - timedelta(seconds=5),
    )
    url = reverse("ideas:idea-edit", args=[idea.pk])
    assert citizen_client.get(url).status_code == 302
    citizen_client.post(url, form_data(title="Zu spät"))
    idea.refresh_from_db()
    assert idea.title == "Bleibt so"


def test_someone_elses_draft_is_invisible(client, open_call):
    draft = DraftFactory(call=open_call, title="Geheimer Entwurf")
    client.force_login(UserFactory())
    for url in (
        draft.get_absolute_url(),
        reverse("ideas:idea-edit", args=[draft.pk]),
        reverse("ideas:idea-delete", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("ideas:idea-submit", args=[draft.pk])).status_code == 404
    assert "Geheimer Entwurf" not in client.get(reverse("ideas:idea-list")).content.decode()


def test_author_sees_and_deletes_own_draft(citizen_client, citizen, open_call):
    draft = DraftFactory(call=open_call, author=citizen, title="Mein Entwurf")
    assert "Mein Entwurf" in citizen_client.get(reverse("ideas:my-ideas")).content.decode()
    assert citizen_client.get(draft.get_absolute_url()).status_code == 200
    citizen_client.post(reverse("ideas:idea-delete", args=[draft.pk]))
    assert not Idea.objects.filter(pk=draft.pk).exists()


def test_submit_button_on_a_complete_draft(citizen_client, citizen, open_call):
    draft = DraftFactory(call=open_call, author=citizen)
    response = citizen_client.post(reverse("ideas:idea-submit", args=[draft.pk]))
    assert response["Location"] == reverse("ideas:idea-submitted", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.reference


def test_submit_button_on_an_incomplete_draft_leads_to_the_form(
    citizen_client, citizen, open_call
):
    draft = DraftFactory(call=open_call, author=citizen, summary="")
    response = citizen_client.post(reverse("ideas:idea-submit", args=[draft.pk]))
    assert response["Location"] == reverse("ideas:idea-edit", args=[draft.pk])


def test_idea_writes_are_rate_limited(citizen_client, citizen, open_call, settings):
    settings.MITMACHEN_IDEA_WRITE_RATE = "2/h"
    codes = [
        citizen_client.post(
            create_url(open_call),
            {"title": f"Idee {n}", "intent": "save"},
            HTTP_ACCEPT_LANGUAGE="de",
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Idea.objects.filter(author=citizen).count() == 2
    blocked = citizen_client.post(
        create_url(open_call), {"title": "x", "intent": "save"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert blocked["Retry-After"]
    assert "zu viele anfragen" in blocked.content.decode().lower()


def test_failed_submit_names_every_missing_field_at_once(citizen_client, open_call):
    response = citizen_client.post(
        create_url(open_call), {"intent": "submit"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    errors = response.context["form"].errors
    assert {
        "title",
        "summary",
        "description",
        "problem",
        "benefit",
        "action_fields",
        "primary_field",
        "consent",
    } <= set(errors)


def test_fields_needed_to_submit_are_not_marked_optional(citizen_client, open_call):
    page = citizen_client.get(create_url(open_call), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    summary_label = page.split('for="id_summary"')[1].split("</label>")[0]
    assert "optional" not in summary_label
    target_label = page.split('for="id_target_groups"')[1].split("</label>")[0]
    assert "optional" in target_label


def test_ideas_of_an_unpublished_call_are_not_public(client):
    idea = IdeaFactory(title="Zurückgezogener Aufruf")
    idea.call.published = False
    idea.call.save()
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert "Zurückgezogener Aufruf" not in client.get(reverse("ideas:idea-list")).content.decode()


def test_too_many_files_are_refused_before_decoding(
    citizen_client, citizen, open_call, monkeypatch
):
    from ideas import forms

    decoded = []
    monkeypatch.setattr(forms, "image_process", lambda upload: decoded.append(upload))
    response = citizen_client.post(
        create_url(open_call),
        form_data(images=[photo(f"{n}.jpg") for n in range(7)]),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "höchstens 5 Bilder" in response.content.decode()
    assert decoded == []
