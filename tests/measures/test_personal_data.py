"""Workshop invitations and results in a person's data download; at the erasure of their
account the invitations still open are withdrawn, answered ones stay with the idea."""

import pytest

from accounts.services import user_data_export, user_erase, user_erase_consequences
from ideas.models import Status
from measures import invitations
from measures.models import Invitation, InvitationStatus, WorkshopResult
from tests.events.factories import EventFactory
from tests.factories import IdeaFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited():
    author = UserFactory()
    ideas = IdeaFactory.create_batch(
        2, author=author, wants_workshop=True, status=Status.QUALIFIED
    )
    other = IdeaFactory(wants_workshop=True, status=Status.QUALIFIED)
    event = EventFactory()
    invitations.invitations_send(
        ideas=[*ideas, other], event=event, by=user_with_role("Redaktion")
    )
    answered = Invitation.objects.get(idea=ideas[0])
    invitations.invitation_answer(token=answered.token, accept=False)
    WorkshopResult.objects.create(idea=ideas[0], event=event, outcome="Weiter mit Sensoren")
    return {"author": author, "ideas": ideas, "other": other, "event": event}


def test_the_download_holds_the_invitations_and_results_of_ones_ideas(invited):
    data = user_data_export(invited["author"])
    ideas = invited["ideas"]
    assert sorted(
        (row["idea"], row["status"]) for row in data["workshop_invitations"]
    ) == sorted([(ideas[0].reference, "declined"), (ideas[1].reference, "invited")])
    assert all(row["event"] == invited["event"].title for row in data["workshop_invitations"])
    assert [row["outcome"] for row in data["workshop_results"]] == ["Weiter mit Sensoren"]
    assert invited["other"].reference not in str(data)


def test_erasure_withdraws_open_invitations_and_keeps_answered_ones(
    invited, django_capture_on_commit_callbacks
):
    author, ideas = invited["author"], invited["ideas"]
    sentences = user_erase_consequences(author)
    assert any("Einladungen zu Werkstätten" in sentence for sentence in sentences)
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=author)
    assert not Invitation.objects.filter(idea=ideas[1]).exists()
    assert Invitation.objects.get(idea=ideas[0]).status == InvitationStatus.DECLINED
    # Someone else's invitation is untouched.
    assert Invitation.objects.get(idea=invited["other"]).status == InvitationStatus.INVITED
