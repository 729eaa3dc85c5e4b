from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas import services
from ideas.images import image_process
from ideas.models import Call, Idea, Status
from ideas.services import IdeaData
from tests.factories import CallFactory, DraftFactory, IdeaFactory, QuarterFactory, UserFactory
from tests.factories import action_field as field
from tests.images import photo

pytestmark = pytest.mark.django_db


def close(call: Call) -> None:
    """Move a call's deadline into the past, as time would."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(minutes=1),
        deadline=now - timedelta(minutes=1),
    )


def complete_data(**overrides) -> IdeaData:
    data = IdeaData(
        title="Offenes WLAN in Bibliotheken",
        summary="Alle Stadtbibliotheken bekommen offenes WLAN.",
        description="Ausführlich beschrieben.",
        problem="Viele haben zu Hause kein Internet.",
        benefit="Alle können lernen.",
        action_fields=[field("bildung"), field("verwaltung")],
        primary_field=field("bildung"),
        whole_city=True,
        consent=True,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_draft_may_be_incomplete(open_call, citizen):
    idea = services.idea_save_draft(call=open_call, author=citizen, data=IdeaData(title="Nur"))
    assert idea.status == Status.DRAFT
    assert idea.reference is None


def test_submit_gives_reference_and_sends_confirmation(
    open_call, citizen, django_capture_on_commit_callbacks
):
    idea = services.idea_save_draft(call=open_call, author=citizen, data=complete_data())
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_submit(idea=idea, by=citizen)

    year = timezone.localtime(open_call.opens_at).year
    assert idea.reference == f"SC-{year}-0001"
    assert idea.status == Status.SUBMITTED
    assert idea.consent_at is not None and idea.consent_version
    assert len(mail.outbox) == 1
    assert idea.reference in mail.outbox[0].subject
    assert idea.reference in mail.outbox[0].body
    assert mail.outbox[0].to == [citizen.email]
    html = mail.outbox[0].alternatives[0].content
    assert idea.reference in html


def test_references_count_up_per_call_year(open_call):
    references = []
    for _ in range(3):
        author = UserFactory()
        idea = services.idea_save_draft(call=open_call, author=author, data=complete_data())
        references.append(services.idea_submit(idea=idea, by=author).reference)
    assert [reference[-4:] for reference in references] == ["0001", "0002", "0003"]


def test_submitting_twice_changes_nothing(open_call, citizen, django_capture_on_commit_callbacks):
    idea = services.idea_save_draft(call=open_call, author=citizen, data=complete_data())
    with django_capture_on_commit_callbacks(execute=True):
        first = services.idea_submit(idea=idea, by=citizen)
        second = services.idea_submit(idea=idea, by=citizen)
    assert first.reference == second.reference
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("override", "missing"),
    [
        ({"summary": "  "}, "summary"),
        ({"problem": ""}, "problem"),
        ({"action_fields": [], "primary_field": None}, "action_fields"),
        ({"whole_city": False, "quarters": []}, "quarters"),
        ({"consent": False}, "consent"),
    ],
)
def test_incomplete_idea_cannot_be_submitted(open_call, citizen, override, missing):
    idea = services.idea_save_draft(call=open_call, author=citizen, data=complete_data(**override))
    with pytest.raises(ValidationError, match=f"'{missing}'") as caught:
        services.idea_submit(idea=idea, by=citizen)
    assert missing in caught.value.error_dict
    idea.refresh_from_db()
    assert idea.status == Status.DRAFT


def test_a_quarter_instead_of_whole_city_is_enough(open_call, citizen):
    data = complete_data(whole_city=False, quarters=[QuarterFactory()])
    idea = services.idea_save_draft(call=open_call, author=citizen, data=data)
    assert services.idea_submit(idea=idea, by=citizen).status == Status.SUBMITTED


def test_more_than_four_fields_or_foreign_primary_are_refused(open_call, citizen):
    five = [field("bildung"), field("wirtschaft"), field("mobilitaet"), field("verwaltung")]
    assert not services.idea_field_errors(action_fields=five, primary_field=five[0])
    too_many = [*five, five[0]]
    with pytest.raises(ValidationError, match="Wählen Sie höchstens 4 Handlungsfelder") as caught:
        services.idea_save_draft(
            call=open_call, author=citizen, data=complete_data(action_fields=too_many)
        )
    assert "action_fields" in caught.value.error_dict
    with pytest.raises(
        ValidationError, match="Das wichtigste Handlungsfeld muss eines der"
    ) as caught:
        services.idea_save_draft(
            call=open_call,
            author=citizen,
            data=complete_data(
                action_fields=[field("bildung")], primary_field=field("mobilitaet")
            ),
        )
    assert "primary_field" in caught.value.error_dict


def test_submit_after_deadline_is_refused(citizen):
    call = CallFactory()
    idea = services.idea_save_draft(call=call, author=citizen, data=complete_data())
    close(call)
    with pytest.raises(PermissionDenied, match="Die Frist für diesen Aufruf ist abgelaufen"):
        services.idea_submit(idea=idea, by=citizen)


def test_editing_after_deadline_is_refused_and_text_kept(citizen):
    idea = IdeaFactory(author=citizen, title="Alter Titel")
    close(idea.call)
    idea = Idea.objects.get(pk=idea.pk)
    with pytest.raises(PermissionDenied, match="Diese Idee kann nicht mehr geändert werden"):
        services.idea_save_draft(
            call=idea.call, author=citizen, idea=idea, data=complete_data(title="Neuer Titel")
        )
    idea.refresh_from_db()
    assert idea.title == "Alter Titel"


def test_someone_elses_idea_cannot_be_changed_or_submitted(open_call):
    draft = DraftFactory(call=open_call)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied, match="Diese Idee kann nicht mehr geändert werden"):
        services.idea_save_draft(call=open_call, author=stranger, idea=draft, data=complete_data())
    with pytest.raises(PermissionDenied, match="Nur die Person, die diese Idee verfasst hat,"):
        services.idea_submit(idea=draft, by=stranger)


def test_a_submitted_idea_stays_complete_when_edited(open_call, citizen):
    idea = services.idea_save_draft(call=open_call, author=citizen, data=complete_data())
    services.idea_submit(idea=idea, by=citizen)
    with pytest.raises(ValidationError, match="Bitte beschreiben Sie Ihre Idee"):
        services.idea_save_draft(
            call=open_call, author=citizen, idea=idea, data=complete_data(description="")
        )
    idea.refresh_from_db()
    assert idea.description == "Ausführlich beschrieben."


def test_same_form_token_creates_one_idea(open_call, citizen):
    token = uuid4()
    first = services.idea_save_draft(
        call=open_call, author=citizen, data=complete_data(), form_token=token
    )
    second = services.idea_save_draft(
        call=open_call, author=citizen, data=complete_data(), form_token=token
    )
    assert first.pk == second.pk
    assert Idea.objects.filter(author=citizen).count() == 1


def test_images_are_stored_capped_at_five_and_get_thumbnails_after_commit(
    open_call, citizen, settings, django_capture_on_commit_callbacks
):
    images = [image_process(photo(f"bild{n}.jpg")) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_save_draft(
            call=open_call, author=citizen, data=complete_data(), images=images
        )
    assert idea.images.count() == 5
    stored = idea.images.first()
    assert stored.thumbnail.name.endswith(".webp")
    assert stored.thumbnail_small.name.endswith(".webp")
    assert stored.width == 800
    with pytest.raises(ValidationError, match="Eine Idee kann höchstens 5 Bilder haben"):
        services.idea_save_draft(
            call=open_call,
            author=citizen,
            idea=idea,
            data=complete_data(),
            images=[image_process(photo())],
        )
    assert idea.images.count() == 5


def test_removing_an_image_deletes_its_files_after_commit(
    open_call, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_save_draft(
            call=open_call, author=citizen, data=complete_data(), images=[image_process(photo())]
        )
    image = idea.images.get()
    storage = image.image.storage
    names = [image.image.name, image.thumbnail.name, image.thumbnail_small.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_save_draft(
            call=open_call,
            author=citizen,
            idea=idea,
            data=complete_data(),
            remove_image_ids=[image.pk],
        )
    assert not idea.images.exists()
    assert not any(storage.exists(name) for name in names)


def test_a_failed_edit_keeps_old_images_and_leaves_no_new_files(
    open_call, citizen, django_capture_on_commit_callbacks
):
    idea = services.idea_save_draft(
        call=open_call, author=citizen, data=complete_data(), images=[image_process(photo())]
    )
    services.idea_submit(idea=idea, by=citizen)
    old = idea.images.get()
    storage = old.image.storage
    files_before = set(storage.listdir("ideas")[1])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Bitte beschreiben Sie Ihre Idee"),
    ):
        # Removing the old image, adding a new one, but emptying a required text: refused.
        services.idea_save_draft(
            call=open_call,
            author=citizen,
            idea=idea,
            data=complete_data(description=""),
            images=[image_process(photo("neu.jpg"))],
            remove_image_ids=[old.pk],
        )
    assert idea.images.get().pk == old.pk
    assert storage.exists(old.image.name)
    assert set(storage.listdir("ideas")[1]) == files_before


def test_only_own_drafts_can_be_deleted(open_call, citizen):
    draft = DraftFactory(call=open_call, author=citizen)
    submitted = IdeaFactory(call=open_call, author=citizen)
    with pytest.raises(PermissionDenied, match="Sie können nur Ihre eigenen Entwürfe löschen"):
        services.idea_delete_draft(idea=draft, by=UserFactory())
    with pytest.raises(PermissionDenied, match="Sie können nur Ihre eigenen Entwürfe löschen"):
        services.idea_delete_draft(idea=submitted, by=citizen)
    services.idea_delete_draft(idea=draft, by=citizen)
    assert not Idea.objects.filter(pk=draft.pk).exists()


# --- Calls and their deadline --------------------------------------------------------------


def test_extension_moves_the_current_deadline_and_keeps_the_old_one():
    call = CallFactory()
    old = call.deadline
    new = old + timedelta(days=14)
    extension = services.call_extend(call=call, new_deadline=new, reason="Ferien")
    call.refresh_from_db()
    assert call.deadline == new
    assert call.closes_at == old
    assert extension.old_deadline == old
    assert call.is_extended


@pytest.mark.parametrize("shift", [timedelta(0), timedelta(days=-1)])
def test_extension_to_an_earlier_deadline_is_refused(shift):
    call = CallFactory()
    with pytest.raises(
        ValidationError, match="Die neue Frist muss nach der aktuellen Frist"
    ) as caught:
        services.call_extend(call=call, new_deadline=call.deadline + shift, reason="x")
    assert "new_deadline" in caught.value.error_dict
    assert not call.extensions.exists()


def test_extension_into_the_past_is_refused():
    past = timezone.now() - timedelta(days=30)
    call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    with pytest.raises(ValidationError, match="Die neue Frist muss in der Zukunft liegen"):
        services.call_extend(call=call, new_deadline=past + timedelta(days=1), reason="x")


def test_extension_needs_a_reason():
    call = CallFactory()
    with pytest.raises(ValidationError, match="Bitte geben Sie eine Begründung für die"):
        services.call_extend(
            call=call, new_deadline=call.deadline + timedelta(days=1), reason="  "
        )


def test_call_save_derives_deadline_from_extensions():
    call = CallFactory()
    later = call.deadline + timedelta(days=7)
    services.call_extend(call=call, new_deadline=later, reason="Nachfrage")
    call.refresh_from_db()
    call.title = "Neuer Titel"
    services.call_save(call=call)
    assert call.deadline == later


def test_call_closing_before_opening_is_refused():
    now = timezone.now()
    call = Call(title="Falsch", slug="falsch", opens_at=now, closes_at=now - timedelta(days=1))
    with pytest.raises(ValidationError, match="Der Aufruf muss nach seinem Beginn enden"):
        services.call_save(call=call)
