"""Following an idea: automatic for authors and commenters, with opt-out; the daily digest
of new comments (exactly once), status changes and feedback to followers, preferences per
kind and the one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussion import comments, following
from discussion.following_notices import comment_digests_plan
from discussion.models import Comment
from notices.models import Notice, NoticeOptOut, Subscription
from notices.outbox import notice_render
from notices.services import unsubscribe
from notices.tokens import unsubscribe_token
from review import services as review_services
from tests.factories import IdeaFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def yesterday() -> timezone.datetime:
    return timezone.localtime().replace(hour=12) - timedelta(days=1)


def comment_yesterday(idea, user, text):
    comment = comments.comment_create(idea=idea, by=user, text=text)
    Comment.objects.filter(pk=comment.pk).update(created_at=yesterday())
    return comment


def test_commenters_follow_automatically_until_they_stop():
    idea = IdeaFactory()
    citizen = UserFactory()
    comments.comment_create(idea=idea, by=citizen, text="Erster")
    assert following.is_following(idea=idea, user=citizen)
    following.idea_unfollow(idea=idea, by=citizen)
    comments.comment_create(idea=idea, by=citizen, text="Zweiter")
    assert not following.is_following(idea=idea, user=citizen)
    following.idea_follow(idea=idea, by=citizen)
    assert following.is_following(idea=idea, user=citizen)


def test_the_daily_digest_goes_once_to_each_follower(client):
    idea = IdeaFactory()
    anna, bernd, clara = UserFactory(), UserFactory(), UserFactory()
    following.idea_follow(idea=idea, by=clara)
    comment_yesterday(idea, anna, "Anna meint etwas")
    comment_yesterday(idea, bernd, "Bernd antwortet")
    comment_yesterday(idea, anna, "Anna noch einmal")
    assert comment_digests_plan() == 4  # author, Anna, Bernd, Clara: one each
    assert comment_digests_plan() == 0
    digests = Notice.objects.filter(kind="discussion_comment_digest")
    assert sorted(digests.values_list("email", flat=True)) == sorted(
        [idea.author.email, anna.email, bernd.email, clara.email]
    )
    body = notice_render(digests.get(email=clara.email)).body
    assert "Anna meint etwas" in body
    assert "Bernd antwortet" in body


def test_a_follower_whose_comments_they_all_are_gets_no_digest():
    idea = IdeaFactory()
    anna = UserFactory()
    following.idea_unfollow(idea=idea, by=idea.author)  # the author stopped following
    comment_yesterday(idea, anna, "Nur ich")
    assert comment_digests_plan() == 0


def test_followers_hear_of_status_and_feedback_the_author_once(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    clara = UserFactory()
    following.idea_follow(idea=idea, by=clara)
    editor = user_with_role("Redaktion")
    review_services.idea_transition(idea=idea, to="screened", by=editor, reason="Gesichtet")
    followed = Notice.objects.filter(kind="discussion_followed_status")
    assert list(followed.values_list("email", flat=True)) == [clara.email]
    assert Notice.objects.filter(email=idea.author.email, kind="status_changed").count() == 1
    assert followed.get().data["new_status"] == "screened"
    assert "folgen, hat jetzt den Stand" in notice_render(followed.get()).body
    review_services.idea_feedback_set(idea=idea, text="Danke!", by=editor, publish=True)
    assert list(
        Notice.objects.filter(kind="discussion_followed_feedback").values_list("email", flat=True)
    ) == [clara.email]


def test_opting_out_of_the_digest_on_the_account_page(client):
    idea = IdeaFactory()
    clara = UserFactory()
    following.idea_follow(idea=idea, by=clara)
    client.force_login(clara)
    page = client.get(reverse("notices:settings")).content.decode()
    assert "Neue Kommentare zu Ideen, denen Sie folgen" in page
    NoticeOptOut.objects.create(email=clara.email, kind="discussion_comment_digest")
    comment_yesterday(idea, UserFactory(), "Hallo")
    comment_digests_plan()
    assert not Notice.objects.filter(email=clara.email).exists()


def test_the_one_click_link_ends_following():
    idea = IdeaFactory()
    clara = UserFactory()
    following.idea_follow(idea=idea, by=clara)
    comment_yesterday(idea, UserFactory(), "Hallo")
    comment_digests_plan()
    notice = Notice.objects.get(email=clara.email)
    unsubscribe(token=unsubscribe_token(notice))
    assert not Subscription.objects.about(idea).active().filter(email=clara.email).exists()


def test_stopping_to_follow_outlasts_the_purge_of_ended_subscriptions(settings):
    from notices.services import subscriptions_purge

    idea = IdeaFactory()
    citizen = UserFactory()
    comments.comment_create(idea=idea, by=citizen, text="Erster")
    following.idea_unfollow(idea=idea, by=citizen)
    following.idea_unfollow(idea=idea, by=idea.author)
    subscriptions_purge(now=timezone.now() + timedelta(days=365))
    assert not Subscription.objects.about(idea).exists()
    comments.comment_create(idea=idea, by=citizen, text="Zweiter")
    assert not following.is_following(idea=idea, user=citizen)
    comment_yesterday(idea, UserFactory(), "Neu")
    comment_digests_plan()
    assert not Notice.objects.filter(email__in=[citizen.email, idea.author.email]).exists()
