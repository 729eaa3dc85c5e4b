"""The stored counts (`ideas.counts`) that home, statistics and the open-data API show agree
with a full recount of the published ideas after every kind of change, and the pages that
show them read only the stored rows."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_erase
from ideas import counts
from ideas.counts import CALL_TZ, counts_refresh
from ideas.models import Call, CountSnapshot, Idea, Status
from ideas.services import call_save, idea_submit
from review.services import idea_sorting_set, idea_transition
from tests.factories import (
    CallFactory,
    DraftFactory,
    IdeaFactory,
    QuarterFactory,
    UserFactory,
    user_with_role,
)
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db


def recount(ideas) -> dict:
    """The counts of `ideas`, one idea at a time in Python: nothing shared with the SQL."""
    result = {
        "total": 0,
        "whole_city": 0,
        "no_quarter": 0,
        "no_field": 0,
        "fields": Counter(),
        "quarters": Counter(),
        "statuses": Counter(),
        "channels": Counter(),
        "days": Counter(),
        "supports": 0,
        "comments": 0,
        "threshold_reached": 0,
    }
    for idea in ideas:
        fields = list(idea.action_fields.all())
        quarters = list(idea.quarters.all())
        result["total"] += 1
        result["whole_city"] += idea.whole_city
        result["no_quarter"] += not quarters and not idea.whole_city
        result["no_field"] += not fields
        result["fields"].update(str(f.pk) for f in fields)
        result["quarters"].update(str(q.pk) for q in quarters)
        result["statuses"][idea.status] += 1
        result["channels"][idea.channel] += 1
        day = idea.received_on or timezone.localtime(idea.submitted_at, CALL_TZ).date()
        result["days"][day.isoformat()] += 1
        result["supports"] += idea.support_count
        result["comments"] += idea.comment_count
        result["threshold_reached"] += idea.support_threshold_reached_at is not None
    return {
        key: dict(value) if isinstance(value, Counter) else value for key, value in result.items()
    }


def stored_equals_recount() -> None:
    published = list(
        Idea.objects.published().prefetch_related("action_fields", "quarters").order_by("pk")
    )
    scopes = {"all": published} | {
        f"call:{call.pk}": [idea for idea in published if idea.call_id == call.pk]
        for call in Call.objects.published()
    }
    stored = {row.scope: row.data for row in CountSnapshot.objects.all()}
    assert set(stored) == set(scopes)
    for scope, ideas in scopes.items():
        assert stored[scope] == recount(ideas), scope


def api_field_counts(client) -> dict[str, int]:
    rows = client.get(reverse("api:field-list")).json()["results"]
    return {row["slug"]: row["idea_count"] for row in rows}


def test_after_every_kind_of_change_the_refreshed_counts_match_a_full_recount(client):
    bildung, mobilitaet, verwaltung = field("bildung"), field("mobilitaet"), field("verwaltung")
    quarter, other_quarter = QuarterFactory(), QuarterFactory()
    call = CallFactory()
    hidden = CallFactory(published=False)
    author = UserFactory()
    editor = user_with_role("Redaktion")
    first = IdeaFactory(call=call, author=author, whole_city=False)
    first.quarters.set([quarter])
    IdeaFactory(call=call, action_fields=[bildung, mobilitaet])
    IdeaFactory(call=hidden, action_fields=[verwaltung])
    draft = DraftFactory(call=call, author=author, whole_city=False)
    draft.quarters.set([quarter, other_quarter])
    DraftFactory(call=call, author=author)  # stays a draft: erased with the account
    call_command("counts_refresh")  # the initial values, as after deploying
    stored_equals_recount()
    assert api_field_counts(client)["bildung"] == 2

    def change(action) -> None:
        action()
        counts_refresh()  # what the periodic task does within a minute
        stored_equals_recount()

    change(lambda: idea_submit(idea=draft, by=author))
    assert api_field_counts(client)["bildung"] == 3

    def publish() -> None:
        hidden.published = True
        call_save(call=hidden, by=editor)

    change(publish)
    assert api_field_counts(client)["verwaltung"] == 1

    change(
        lambda: idea_sorting_set(
            idea=first, action_fields=[verwaltung], quarters=[other_quarter], by=editor
        )
    )
    assert api_field_counts(client) == {
        "bildung": 3,
        "mobilitaet": 1,
        "verwaltung": 2,
        "wirtschaft": 0,
    }
    change(lambda: idea_transition(idea=first, to=Status.SCREENED, by=editor, reason="Geprüft"))
    assert CountSnapshot.objects.get(scope="all").data["statuses"][Status.SCREENED] == 1
    # The admin's delete of a published idea.
    change(lambda: Idea.objects.get(pk=draft.pk).delete())
    assert api_field_counts(client)["bildung"] == 2
    change(lambda: user_erase(user=author))
    assert Idea.objects.filter(pk=first.pk, author=None).exists()
    assert api_field_counts(client)["bildung"] == 2


def test_a_change_waits_for_the_refresh_and_the_pages_show_the_counting_time(client):
    IdeaFactory()
    counts_refresh()
    before = CountSnapshot.objects.get(scope="all").computed_at
    # Until the periodic task runs, the stored numbers (and their time) stay.
    IdeaFactory()
    assert CountSnapshot.objects.get(scope="all").data["total"] == 1
    page = client.get(reverse("ideas:statistics")).content.decode()
    shown = timezone.localtime(before).strftime("%d.%m.%Y, %H:%M")
    assert shown in page.split('counted-at">')[1].split("</p>")[0]
    counts_refresh()
    assert CountSnapshot.objects.get(scope="all").data["total"] == 2
    assert CountSnapshot.objects.get(scope="all").computed_at >= before


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("url", ["ideas:home", "ideas:statistics", "api:field-list"])
def test_pages_with_counts_read_only_the_stored_rows(client, count, url):
    call = CallFactory()
    Idea.objects.bulk_create(
        IdeaFactory.build(call=call, author=None, primary_field=field(), reference=f"SC-{n}")
        for n in range(count)
    )
    counts_refresh()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url)).status_code == 200
    touching_ideas = [q["sql"] for q in queries.captured_queries if "ideas_idea" in q["sql"]]
    if url == "ideas:home":
        # The home page's cards read the latest three ideas (and their quarters and images);
        # its numbers come from the stored rows like the others'.
        latest, *prefetched = touching_ideas
        assert latest.rstrip().endswith("LIMIT 3") and "COUNT(" not in latest
        assert all('"idea_id" IN (' in sql for sql in prefetched), prefetched
        touching_ideas = []
    assert touching_ideas == []
    assert len(queries.captured_queries) <= (10 if url == "ideas:home" else 6)


def test_a_scope_never_counted_is_counted_once_on_first_read():
    IdeaFactory()
    assert not CountSnapshot.objects.exists()
    snapshot = counts.counts_read([None])["all"]
    assert snapshot.data["total"] == 1
    assert snapshot.computed_at is not None


def test_the_periodic_task_recounts_every_minute(settings):
    from ideas import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["counts-refresh"]
    assert entry == {"task": "ideas.tasks.counts_refresh", "schedule": 60.0}
    IdeaFactory()
    assert tasks.counts_refresh.delay().get() == 2  # all calls, and the idea's call
    assert CountSnapshot.objects.get(scope="all").data["total"] == 1
