"""Supporting an idea: once per account, withdrawable, per call's phase and threshold; the
count on the list (sorting, filter), in the API and on the statistics page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discussion import services
from discussion.models import CallDiscussion, Phase, Support
from halle_smartcity import page_cache
from ideas.counts import counts_refresh
from ideas.models import Idea, Status
from notices.models import Notice
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, user_with_role

from .conftest import person

pytestmark = pytest.mark.django_db


def test_a_citizen_supports_once_and_can_withdraw():
    idea = IdeaFactory()
    citizen = UserFactory()
    assert services.support_add(idea=idea, by=citizen) is True
    assert services.support_add(idea=idea, by=citizen) is False
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert services.support_withdraw(idea=idea, by=citizen) is True
    assert services.support_withdraw(idea=idea, by=citizen) is False
    idea.refresh_from_db()
    assert idea.support_count == 0
    # One entry per change, none for the refused repetitions.
    actions = AuditEntry.objects.filter(action__startswith="discussion.support")
    assert sorted(actions.values_list("action", flat=True)) == [
        "discussion.support.added",
        "discussion.support.withdrawn",
    ]


def test_the_author_cannot_support_their_own_idea():
    idea = IdeaFactory()
    with pytest.raises(PermissionDenied, match="eigene Idee"):
        services.support_add(idea=idea, by=idea.author)
    assert not Support.objects.exists()


@pytest.mark.parametrize("role", ["unverified", "blocked"])
def test_unverified_and_blocked_accounts_cannot_support(role):
    idea = IdeaFactory()
    with pytest.raises(PermissionDenied):
        services.support_add(idea=idea, by=person(role, idea))
    assert Idea.objects.get(pk=idea.pk).support_count == 0


def test_drafts_and_duplicates_cannot_be_supported():
    draft = DraftFactory()
    duplicate = IdeaFactory(status=Status.DUPLICATE)
    for idea in (draft, duplicate):
        with pytest.raises(PermissionDenied):
            services.support_add(idea=idea, by=UserFactory())
    assert not Support.objects.exists()


def test_the_phase_follows_the_calls_settings():
    now = timezone.now()
    closed = CallFactory(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    idea = IdeaFactory(call=closed)
    citizen = UserFactory()
    # During the call (the default): the call has closed, so has the discussion.
    with pytest.raises(PermissionDenied, match="geschlossen"):
        services.support_add(idea=idea, by=citizen)
    # Until a date after the deadline: open again.
    CallDiscussion.objects.create(call=closed, phase=Phase.UNTIL, open_until=now + timedelta(1))
    idea = Idea.objects.get(pk=idea.pk)
    assert services.support_add(idea=idea, by=citizen) is True
    # Off: nothing, not even withdrawing.
    CallDiscussion.objects.filter(call=closed).update(phase=Phase.OFF)
    idea = Idea.objects.get(pk=idea.pk)
    with pytest.raises(PermissionDenied):
        services.support_withdraw(idea=idea, by=citizen)
    with pytest.raises(PermissionDenied):
        services.support_add(idea=idea, by=UserFactory())
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_reaching_the_threshold_marks_the_idea_and_tells_the_editors_once(
    django_capture_on_commit_callbacks,
):
    editor = user_with_role("Redaktion")
    call = CallFactory()
    CallDiscussion.objects.create(call=call, support_threshold=2)
    idea = IdeaFactory(call=call)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    services.support_add(idea=idea, by=first)
    assert Idea.objects.get(pk=idea.pk).support_threshold_reached_at is None
    assert not Notice.objects.filter(kind="discussion_threshold").exists()
    services.support_add(idea=idea, by=second)
    assert Idea.objects.get(pk=idea.pk).support_threshold_reached_at is not None
    # Going below and above again does not tell them twice.
    services.support_withdraw(idea=idea, by=second)
    services.support_add(idea=idea, by=second)
    services.support_add(idea=idea, by=third)
    notices = Notice.objects.filter(kind="discussion_threshold")
    assert [notice.email for notice in notices] == [editor.email]
    assert Idea.objects.get(pk=idea.pk).support_count == 3


def test_a_support_makes_only_the_ideas_own_page_stale(monkeypatch):
    idea = IdeaFactory()
    bumped = []
    monkeypatch.setattr(services, "tags_bump", lambda *tags: bumped.append(set(tags)))
    services.support_add(idea=idea, by=UserFactory())
    assert bumped == [{page_cache.idea_tag(idea.pk)}]


def test_the_page_shows_the_count_and_the_button(client):
    idea = IdeaFactory()
    for _ in range(3):
        services.support_add(idea=idea, by=UserFactory())
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "3 Personen unterstützen diese Idee." in page
    assert "Melden Sie sich an, um diese Idee zu unterstützen" in page
    citizen = UserFactory()
    client.force_login(citizen)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert reverse("discussion:support", args=[idea.pk]) in page


def test_supporting_through_the_page_says_the_new_count(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("discussion:support", args=[idea.pk]), follow=True)
    page = response.content.decode()
    assert "Die Idee hat jetzt 1 Unterstützung." in page
    assert reverse("discussion:support-withdraw", args=[idea.pk]) in page
    response = client.post(reverse("discussion:support", args=[idea.pk]), follow=True)
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_the_list_sorts_and_filters_by_supports(client):
    call = CallFactory()
    CallDiscussion.objects.create(call=call, support_threshold=2)
    low, high, none = IdeaFactory(call=call), IdeaFactory(call=call), IdeaFactory(call=call)
    services.support_add(idea=low, by=UserFactory())
    for _ in range(2):
        services.support_add(idea=high, by=UserFactory())
    page = client.get(reverse("ideas:idea-list") + "?sort=supports").content.decode()
    assert page.index(high.title) < page.index(low.title) < page.index(none.title)
    page = client.get(reverse("ideas:idea-list") + "?supported=1").content.decode()
    assert high.title in page
    assert low.title not in page
    assert none.title not in page


def test_the_api_and_the_statistics_carry_the_counts(client):
    idea = IdeaFactory()
    services.support_add(idea=idea, by=UserFactory())
    data = client.get(reverse("api:idea-detail", kwargs={"pk": idea.pk})).json()
    assert data["support_count"] == 1
    assert data["comment_count"] == 0
    assert data["support_threshold_reached"] is False
    listing = client.get(reverse("api:idea-list")).json()
    assert listing["results"][0]["support_count"] == 1
    csv = b"".join(client.get(reverse("api:idea-list") + "?format=csv").streaming_content)
    header, row = csv.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(";measures;support_count;comment_count;url")
    assert ";1;0;http" in row
    counts_refresh()
    page = client.get(reverse("ideas:statistics")).content.decode()
    assert "1 Unterstützungen, 0 Kommentare; 0 Ideen" in page


def test_the_pages_script_gets_the_new_box_as_json(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("discussion:support", args=[idea.pk]), HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert data["count"] == 1
    assert "Die Idee hat jetzt 1 Unterstützung." in data["html"]
    assert reverse("discussion:support-withdraw", args=[idea.pk]) in data["html"]
    response = client.post(
        reverse("discussion:support", args=[idea.pk]), HTTP_ACCEPT="application/json"
    )
    assert "Sie unterstützen diese Idee bereits." in response.json()["html"]
