"""Who may do what in the discussion, role by role: anonymous, unverified, citizen, the
idea's author, editor, blocked account. A refused request changes nothing."""

import pytest
from django.urls import reverse

from discussion.models import CallDiscussion, Support
from ideas.models import Idea
from tests.factories import IdeaFactory, log_in

from .conftest import ROLES, person

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
