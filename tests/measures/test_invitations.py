"""Inviting idea givers to a workshop: who is invited and who is counted instead, one notice
per invitation however often the editor sends, the personal link (once, until the event
ends), accepting into the event's places or its waiting list, the letter list, and who may
do what."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import RegistrationStatus
from ideas.models import Status
from measures import invitations
from measures.models import Invitation, InvitationStatus
from notices.models import Notice
from tests.events.factories import EventFactory
from tests.factories import IdeaFactory, UserFactory, user_in_role, user_with_role
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "author", "assessor", "board", "editor", "administrator"]


@pytest.fixture
def editor():
    return user_with_role("Redaktion")


def paper_idea(**fields):
    return IdeaFactory(
        **{
            "author": None,
            "submitter_name": "Erika Papier",
            "submitter_address": "Marktplatz 1\n06108 Halle (Saale)",
            "wants_workshop": True,
            "status": Status.QUALIFIED,
            **fields,
        }
    )


def test_only_authors_who_agreed_and_can_be_reached_are_invited(editor):
    event = EventFactory()
    willing = IdeaFactory(wants_workshop=True, status=Status.QUALIFIED)
    unwilling = IdeaFactory(wants_workshop=False, status=Status.QUALIFIED)
    by_post = paper_idea(submitter_email="")
    by_mail = paper_idea(submitter_email="erika@example.org")
    unreachable = paper_idea(submitter_email="", submitter_address="")
    count = invitations.invitations_send(
        ideas=[willing, unwilling, by_post, by_mail, unreachable], event=event, by=editor
    )
    assert (count.invited, count.letters, count.declined, count.no_contact) == (2, 1, 1, 1)
    assert set(Invitation.objects.values_list("idea_id", "by_letter")) == {
        (willing.pk, False),
        (by_mail.pk, False),
        (by_post.pk, True),
    }
    assert sorted(
        Notice.objects.filter(kind="workshop_invitation").values_list("email", flat=True)
    ) == sorted([willing.author.email, "erika@example.org"])


def test_sending_twice_invites_nobody_twice(editor):
    event = EventFactory()
    ideas = IdeaFactory.create_batch(3, wants_workshop=True, status=Status.QUALIFIED)
    invitations.invitations_send(ideas=ideas[:2], event=event, by=editor)
    count = invitations.invitations_send(ideas=ideas, event=event, by=editor)
    assert (count.invited, count.already) == (1, 2)
    assert Notice.objects.filter(kind="workshop_invitation").count() == 3
    assert Invitation.objects.count() == 3


def test_an_author_of_two_ideas_gets_one_invitation_per_idea(editor):
    author = UserFactory()
    ideas = IdeaFactory.create_batch(2, author=author, wants_workshop=True)
    invitations.invitations_send(ideas=ideas, event=EventFactory(), by=editor)
    assert Notice.objects.filter(kind="workshop_invitation", email=author.email).count() == 2


def test_no_invitations_to_an_event_that_is_over_cancelled_or_without_registration(editor):
    idea = IdeaFactory(wants_workshop=True)
    past = EventFactory(starts_at=timezone.now() - timedelta(days=2))
    closed = EventFactory(registration_enabled=False)
    # Accepting registers: an event past its registration deadline could not be accepted.
    deadline_passed = EventFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    for event in (past, closed, deadline_passed):
        with pytest.raises(ValidationError):
            invitations.invitations_send(ideas=[idea], event=event, by=editor)
    assert not Invitation.objects.exists()


def invite(editor, idea, event=None) -> Invitation:
    invitations.invitations_send(ideas=[idea], event=event or EventFactory(), by=editor)
    return Invitation.objects.get(idea=idea)


def test_accepting_by_link_registers_the_author_without_an_account(client, editor):
    idea = paper_idea(submitter_email="erika@example.org")
    invitation = invite(editor, idea)
    url = reverse("measures:invitation", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200 and invitation.event.title in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED  # looking changes nothing
    response = client.post(url, {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    registration = invitation.registration
    assert (registration.email, registration.name) == ("erika@example.org", "Erika Papier")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration-manage", args=[registration.token])


def test_accepting_a_full_event_puts_the_author_on_the_waiting_list(client, editor):
    event = EventFactory(capacity=1)
    first, second = IdeaFactory.create_batch(2, wants_workshop=True)
    invitations.invitations_send(ideas=[first, second], event=event, by=editor)
    for idea in (first, second):
        token = Invitation.objects.get(idea=idea).token
        client.post(reverse("measures:invitation", args=[token]), {"answer": "accept"})
    statuses = [Invitation.objects.get(idea=idea).registration.status for idea in (first, second)]
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_a_link_used_twice_or_after_the_event_is_refused(client, editor):
    idea = IdeaFactory(wants_workshop=True)
    invitation = invite(editor, idea)
    url = reverse("measures:invitation", args=[invitation.token])
    assert client.post(url, {"answer": "decline"}).status_code == 200
    again = client.post(url, {"answer": "accept"})
    assert again.status_code == 410
    assert "bereits beantwortet" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED and invitation.registration is None

    later = IdeaFactory(wants_workshop=True)
    expired = invite(editor, later)
    expired.event.starts_at = timezone.now() - timedelta(hours=3)
    expired.event.ends_at = timezone.now() - timedelta(hours=1)
    expired.event.save()
    response = client.get(reverse("measures:invitation", args=[expired.token]))
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    assert client.get(reverse("measures:invitation", args=["erfunden"])).status_code == 404


def test_a_form_without_an_answer_is_asked_again(client, editor):
    invitation = invite(editor, IdeaFactory(wants_workshop=True))
    response = client.post(
        reverse("measures:invitation", args=[invitation.token]), {"answer": "?"}
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie" in response.content.decode()


# --- The staff's screens, role by role -------------------------------------------------


def action_post(client, ideas, event=None):
    data = {"action": "invite_to_workshop", ACTION_CHECKBOX_NAME: [idea.pk for idea in ideas]}
    if event is not None:
        data.update({"apply": "1", "event": event.pk})
    return client.post(reverse("admin:ideas_idea_changelist"), data)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_invite_and_see_the_letter_list(client, role):
    idea = paper_idea(submitter_email="")
    event = EventFactory()
    user = user_in_role(role, author=IdeaFactory().author)
    login(client, user)
    response = action_post(client, [idea], event)
    letters = client.get(reverse("admin:measures_invitation_letters"))
    listing = client.get(reverse("admin:measures_invitation_changelist"))
    if role == "editor":
        assert response.status_code == 302
        assert Invitation.objects.filter(idea=idea, by_letter=True).exists()
        assert "Marktplatz 1" in letters.content.decode()
        assert listing.status_code == 200
    else:
        assert not Invitation.objects.exists()
        for answer in (response, letters, listing):
            assert answer.status_code in (302, 403)
            assert "Marktplatz 1" not in answer.content.decode()


def test_the_action_asks_for_the_event_then_tells_how_many_were_skipped(client, editor):
    login(client, editor)
    event = EventFactory(title="Design-Sprint IV")
    willing = IdeaFactory(wants_workshop=True)
    unwilling = IdeaFactory(wants_workshop=False)
    form = action_post(client, [willing, unwilling])
    assert form.status_code == 200 and "Design-Sprint IV" in form.content.decode()
    done = action_post(client, [willing, unwilling], event)
    assert done.status_code == 302
    shown = [str(message) for message in client.get(done["Location"]).context["messages"]]
    assert any("1 per E-Mail eingeladen" in text and "1 wollten" in text for text in shown)
