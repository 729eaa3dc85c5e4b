"""Who may do what in the discussion, role by role: anonymous, unverified, citizen, the
idea's author, editor, blocked account. A refused request changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discussion import comments, moderation
from discussion.models import Block, CallDiscussion, Comment, Report, Support
from ideas.models import Idea
from notices.models import Subscription
from tests.factories import IdeaFactory, UserFactory, log_in

from .conftest import ROLES, person
from .helpers import form_data

pytestmark = pytest.mark.django_db

SUPPORT = {
    "anonymous": False,
    "unverified": False,
    "citizen": True,
    "author": False,
    "editor": True,
    "blocked": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_supporting(client, role):
    idea = IdeaFactory()
    user = person(role, idea)
    log_in(client, user)
    response = client.post(reverse("discussion:support", args=[idea.pk]))
    assert response.status_code == 302
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    assert Support.objects.filter(idea=idea).exists() is SUPPORT[role]
    assert Idea.objects.get(pk=idea.pk).support_count == int(SUPPORT[role])


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing(client, role):
    idea = IdeaFactory()
    user = person(role, idea)
    log_in(client, user)
    if user.is_authenticated:
        Support.objects.create(idea=idea, user=user)
    response = client.post(reverse("discussion:support-withdraw", args=[idea.pk]))
    assert response.status_code == 302
    # A blocked account keeps its support until the block ends; others may withdraw.
    kept = role in ("blocked", "unverified")
    assert Support.objects.filter(idea=idea).exists() is kept


@pytest.mark.parametrize("role", ROLES)
def test_supporting_is_never_done_by_a_get(client, role):
    idea = IdeaFactory()
    log_in(client, person(role, idea))
    response = client.get(reverse("discussion:support", args=[idea.pk]))
    assert response.status_code == 405
    assert not Support.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_discussion_settings_in_the_admin(client, role):
    idea = IdeaFactory()
    user = person(role, idea)
    if user.is_authenticated:
        client.force_login(user)
    url = reverse("admin:discussion_calldiscussion_add")
    response = client.post(
        url,
        {
            "call": idea.call.pk,
            "phase": "call",
            "support_threshold": 5,
        },
    )
    allowed = role == "editor"
    assert CallDiscussion.objects.filter(call=idea.call, support_threshold=5).exists() is allowed
    if not allowed:
        assert response.status_code in (302, 403)


# --- Comments -------------------------------------------------------------------------------

COMMENT = {
    "anonymous": False,
    "unverified": False,
    "citizen": True,
    "author": True,
    "editor": True,
    "blocked": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_commenting(client, role):
    idea = IdeaFactory()
    log_in(client, person(role, idea))
    response = client.post(
        reverse("discussion:comment", args=[idea.pk]), form_data(text="Ein Kommentar")
    )
    assert response.status_code == 302
    assert Comment.objects.filter(idea=idea).exists() is COMMENT[role]


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_deleting_a_citizens_comment(client, role):
    idea = IdeaFactory()
    owner = UserFactory()
    comment = comments.comment_create(idea=idea, by=owner, text="Original")
    log_in(client, person(role, idea))
    edit = client.post(
        reverse("discussion:comment-edit", args=[comment.pk]), form_data(text="Geändert")
    )
    delete = client.post(reverse("discussion:comment-delete", args=[comment.pk]))
    # Only the owner may: for everyone else the comment is as good as absent.
    expected = 302 if role == "anonymous" else 404
    assert edit.status_code == expected
    assert delete.status_code == expected
    comment.refresh_from_db()
    assert comment.text == "Original"
    assert comment.deleted_at is None


def test_the_owner_edits_and_deletes_unless_blocked(client):
    idea = IdeaFactory()
    owner = UserFactory()
    comment = comments.comment_create(idea=idea, by=owner, text="Original")
    client.force_login(owner)
    client.post(reverse("discussion:comment-edit", args=[comment.pk]), form_data(text="Neu"))
    assert Comment.objects.get(pk=comment.pk).text == "Neu"
    Block.objects.create(user=owner, until=timezone.now() + timedelta(days=1), reason="x")
    client.post(reverse("discussion:comment-edit", args=[comment.pk]), form_data(text="Neuer"))
    assert Comment.objects.get(pk=comment.pk).text == "Neu"
    # Deleting one's own words stays possible while blocked.
    client.post(reverse("discussion:comment-delete", args=[comment.pk]))
    assert Comment.objects.get(pk=comment.pk).is_deleted


REPORT = {
    "anonymous": False,
    "unverified": False,
    "citizen": True,
    "author": True,
    "editor": True,
    "blocked": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_reporting_a_comment_and_an_idea(client, role):
    idea = IdeaFactory()
    comment = comments.comment_create(idea=idea, by=UserFactory(), text="Beleidigung")
    log_in(client, person(role, idea))
    client.post(
        reverse("discussion:comment-report", args=[comment.pk]), form_data(reason="Beleidigend")
    )
    client.post(reverse("discussion:idea-report", args=[idea.pk]), form_data(reason="Spam"))
    expected = 2 if REPORT[role] else 0
    assert Report.objects.count() == expected


@pytest.mark.parametrize("role", ROLES)
def test_following(client, role):
    idea = IdeaFactory()
    user = person(role, idea)
    log_in(client, user)
    client.post(reverse("discussion:follow", args=[idea.pk]))
    allowed = role in ("citizen", "author", "editor", "blocked")
    assert Subscription.objects.about(idea).active().exists() is allowed


# --- The moderation's admin ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_hiding_in_the_admin(client, role):
    idea = IdeaFactory()
    comment = comments.comment_create(idea=idea, by=UserFactory(), text="Beleidigung")
    user = person(role, idea)
    if user.is_authenticated:
        client.force_login(user)
    url = reverse("admin:discussion_comment_change", args=[comment.pk])
    response = client.post(url, {"decision": "hide", "reason": "Verstößt gegen die Netiquette"})
    comment.refresh_from_db()
    assert comment.is_hidden is (role == "editor")
    if role != "editor":
        assert response.status_code in (302, 403)
        assert not AuditEntry.objects.filter(action="discussion.comment.hidden").exists()


@pytest.mark.parametrize("role", ROLES)
def test_blocking_in_the_admin(client, role):
    idea = IdeaFactory()
    target = UserFactory()
    user = person(role, idea)
    if user.is_authenticated:
        client.force_login(user)
    until = timezone.localtime(timezone.now() + timedelta(days=3))
    client.post(
        reverse("admin:discussion_block_add"),
        {
            "user": target.pk,
            "until_0": until.strftime("%d.%m.%Y"),
            "until_1": until.strftime("%H:%M:%S"),
            "reason": "Wiederholte Beleidigungen",
        },
    )
    assert Block.objects.filter(user=target).exists() is (role == "editor")


@pytest.mark.parametrize("role", ROLES)
def test_dismissing_reports_in_the_admin(client, role):
    idea = IdeaFactory()
    report = moderation.report_create(by=UserFactory(), reason="Spam", idea=idea)
    user = person(role, idea)
    if user.is_authenticated:
        client.force_login(user)
    client.post(
        reverse("admin:discussion_report_changelist"),
        {"action": "dismiss", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert (report.state == "dismissed") is (role == "editor")


@pytest.mark.parametrize("role", ROLES)
def test_unfollowing(client, role):
    idea = IdeaFactory()
    user = person(role, idea)
    log_in(client, user)
    response = client.post(reverse("discussion:unfollow", args=[idea.pk]))
    assert response.status_code == 302
    # Whoever is signed in may stop following; the author's wish is recorded.
    ended = Subscription.objects.about(idea).filter(unsubscribed_at__isnull=False).exists()
    assert ended is user.is_authenticated


@pytest.mark.parametrize("role", ROLES)
def test_approving_in_the_admin(client, role):
    idea = IdeaFactory()
    CallDiscussion.objects.create(call=idea.call, premoderate_first_comments=True)
    comment = comments.comment_create(
        idea=Idea.objects.get(pk=idea.pk), by=UserFactory(), text="Erster"
    )
    assert comment.pending
    user = person(role, idea)
    if user.is_authenticated:
        client.force_login(user)
    client.post(
        reverse("admin:discussion_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.pending is (role != "editor")
