"""Duplicate suggestions for the editors: shown on an idea's admin page with score and
matched words; "mark as duplicate" runs the existing workflow, "not a duplicate" is kept and
the pair is not suggested again; both audited; editors only, POST only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from ideas import similarity_search
from ideas.models import Status
from review import duplicates
from review.models import DuplicateDismissal
from tests.factories import CallFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    call = CallFactory()
    original = IdeaFactory(
        call=call,
        title="Fahrradwege am Saaleufer bauen",
        summary="Am Ufer der Saale fehlt ein sicherer Weg fürs Fahrrad.",
    )
    copy = IdeaFactory(
        call=call,
        title="Neuer Radweg entlang der Saale",
        summary="Radfahrer müssen an der Saale auf der Straße fahren.",
    )
    IdeaFactory(call=call, title="Mehr Bänke im Stadtpark", summary="Sitzen im Park.")
    similarity_search.idea_terms_missing()
    return original, copy


def decide(client, idea, other, decision):
    return client.post(
        reverse("admin:review_idea_duplicate_decide", args=[idea.pk, decision]),
        {"suggestion": other.pk, f"score-{other.pk}": "42", f"words-{other.pk}": "radweg"},
    )


def test_the_editor_sees_suggestions_with_score_and_matched_words(client, editor, pair):
    original, copy = pair
    page = client.get(reverse("admin:ideas_idea_change", args=[copy.pk])).content.decode()
    assert original.title in page
    assert "Mehr Bänke im Stadtpark" not in page
    assert "radweg" in page
    assert " %</td>" in page


def test_mark_as_duplicate_runs_the_duplicate_workflow_and_is_audited(client, editor, pair):
    original, copy = pair
    response = decide(client, copy, original, "mark")
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == Status.DUPLICATE
    assert copy.duplicate_of == original
    entry = AuditEntry.objects.filter(action="review.idea.status_changed").latest("pk")
    assert "radweg" in str(entry.data)


def test_a_dismissed_pair_is_kept_audited_and_not_suggested_again(client, editor, pair):
    original, copy = pair
    assert [row.idea for row in duplicates.duplicate_suggestions(idea=copy)] == [original]
    assert decide(client, copy, original, "dismiss").status_code == 302
    assert decide(client, copy, original, "dismiss").status_code == 302
    assert DuplicateDismissal.objects.count() == 1
    assert AuditEntry.objects.filter(action="review.duplicate.dismissed").count() == 1
    # Neither way round.
    assert duplicates.duplicate_suggestions(idea=copy) == []
    assert duplicates.duplicate_suggestions(idea=original) == []
    page = client.get(reverse("admin:ideas_idea_change", args=[copy.pk])).content.decode()
    assert original.title not in page
    copy.refresh_from_db()
    assert copy.status == Status.SUBMITTED


def test_only_editors_decide_and_only_by_post(client, citizen, pair):
    original, copy = pair
    client.force_login(citizen)
    assert decide(client, copy, original, "dismiss").status_code == 302  # to the login
    assert DuplicateDismissal.objects.count() == 0


def test_a_get_changes_nothing(client, editor, pair):
    original, copy = pair
    url = reverse("admin:review_idea_duplicate_decide", args=[copy.pk, "dismiss"])
    assert client.get(url, {"suggestion": original.pk}).status_code == 405
    assert DuplicateDismissal.objects.count() == 0


def test_suggestions_run_a_constant_number_of_queries(pair):
    _original, copy = pair

    def count():
        with CaptureQueriesContext(connection) as context:
            duplicates.duplicate_suggestions(idea=copy)
        return len(context.captured_queries)

    few = count()
    IdeaFactory.create_batch(
        15, call=copy.call, title="Radwege an der Saale", summary="Ein Radweg am Ufer."
    )
    similarity_search.idea_terms_missing()
    assert count() == few
