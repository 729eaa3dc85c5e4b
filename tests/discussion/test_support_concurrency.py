"""Supports racing each other on PostgreSQL, with real threads (each with its own database
connection and transaction): two tabs, a double click, fifty people at once."""

import pytest

from discussion import services
from discussion.models import Support
from ideas.models import Idea
from tests.events.test_concurrency import at_once
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_parallel_supports_by_one_account_count_once():
    idea = IdeaFactory()
    citizen = UserFactory()
    results, errors = at_once(
        *[lambda: services.support_add(idea=idea, by=citizen) for _ in range(50)]
    )
    assert errors == [None] * 50
    assert results.count(True) == 1
    assert Support.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_fifty_accounts_supporting_at_once_count_fifty():
    idea = IdeaFactory()
    people = [UserFactory() for _ in range(50)]
    results, errors = at_once(
        *[(lambda user=user: services.support_add(idea=idea, by=user)) for user in people]
    )
    assert errors == [None] * 50
    assert results == [True] * 50
    assert Support.objects.filter(idea=idea).count() == 50
    assert Idea.objects.get(pk=idea.pk).support_count == 50
