"""Keyset pages of the ideas' JSON list: following `next` (and `previous`) visits every idea
once, in the list's order; deep pages cost what the first costs; page numbers still work."""

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea
from tests.api.test_api import answer, conformance_errors
from tests.factories import IdeaFactory
from tests.ideas.test_lists import bulk_ideas

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"


def walk(client, params) -> tuple[list[dict], list[dict]]:
    """Every answer from the first page along `next`."""
    answers = [client.get(reverse("api:idea-list"), params).json()]
    while answers[-1]["next"]:
        answers.append(client.get(answers[-1]["next"]).json())
        assert len(answers) < 50
    return answers, [idea for page in answers for idea in page["results"]]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("", lambda idea: (idea["submitted_at"], idea["id"])),
        ("oldest", lambda idea: (idea["submitted_at"], idea["id"])),
        ("title", lambda idea: (idea["title"], idea["id"])),
        ("supports", lambda idea: (idea["support_count"], idea["id"])),
    ],
)
def test_following_next_visits_every_idea_once_in_order(client, sort, key):
    ideas = bulk_ideas(11)
    for number, idea in enumerate(ideas):  # ties too: 0, 0, 1, 1, 2, ...
        Idea.objects.filter(pk=idea.pk).update(support_count=number // 2)
    params = {"page_size": 3, **({"sort": sort} if sort else {})}

    answers, seen = walk(client, params)

    assert len(answers) == 4
    assert [len(page["results"]) for page in answers] == [3, 3, 3, 2]
    assert sorted(idea["id"] for idea in seen) == sorted(idea.pk for idea in ideas)
    expected = sorted(seen, key=key, reverse=sort in ("", "supports"))
    assert [idea["id"] for idea in seen] == [idea["id"] for idea in expected]
    assert answers[0]["page"] == 1
    assert answers[0]["previous"] is None
    assert all(page["page"] is None for page in answers[1:])
    assert all(page["count"] == 11 and page["num_pages"] == 4 for page in answers)
    assert all("cursor=" in page["next"] for page in answers[:-1])


def test_previous_leads_back_to_the_first_page(client):
    bulk_ideas(8)
    answers, _seen = walk(client, {"page_size": 3})
    pages = [[idea["id"] for idea in page["results"]] for page in answers]

    back = [answers[-1]]
    while back[-1]["previous"]:
        back.append(client.get(back[-1]["previous"]).json())

    assert [[idea["id"] for idea in page["results"]] for page in back] == pages[::-1]
    assert back[-1]["page"] == 1


def test_a_new_idea_does_not_shift_the_pages_a_client_is_walking(client):
    """With page numbers, a new idea on top pushes one row onto the next page (seen twice);
    a cursor continues after the last row read."""
    ideas = bulk_ideas(6)
    first = client.get(reverse("api:idea-list"), {"page_size": 3}).json()
    newest = IdeaFactory(call=ideas[0].call, submitted_at=timezone.now())
    second = client.get(first["next"]).json()

    shown = [idea["id"] for idea in first["results"] + second["results"]]
    assert len(set(shown)) == 6
    assert newest.pk not in shown


def test_page_numbers_keep_working_with_page_links(client):
    bulk_ideas(7)
    data = client.get(reverse("api:idea-list"), {"page_size": 3, "page": 2}).json()

    assert data["page"] == 2
    assert "page=3" in data["next"] and "cursor" not in data["next"]
    assert "page=1" in data["previous"] or "page=" not in data["previous"]


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "%%%",
        base64.urlsafe_b64encode(b'["n","newest",["kein datum",1]]').decode(),
        base64.urlsafe_b64encode(b'["x","newest",["2026-01-01T00:00:00+00:00",1]]').decode(),
        base64.urlsafe_b64encode(b'["n","newest",["2026-01-01T00:00:00",1]]').decode(),
        base64.urlsafe_b64encode(b'["n","newest",["2026-01-01T00:00:00+00:00","1"]]').decode(),
        "A" * 3000,
    ],
)
def test_a_bad_cursor_is_a_400_in_german(client, cursor):
    response = client.get(reverse("api:idea-list"), {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]
    assert "gültig" in response.json()["detail"]


def test_a_cursor_of_another_sort_order_or_with_a_page_is_refused(client):
    bulk_ideas(4)
    first = client.get(reverse("api:idea-list"), {"page_size": 2}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]

    other_sort = client.get(reverse("api:idea-list"), {"cursor": cursor, "sort": "title"})
    with_page = client.get(reverse("api:idea-list"), {"cursor": cursor, "page": 2})

    assert other_sort.status_code == 400
    assert with_page.status_code == 400
    assert "page" in with_page.json()["detail"]


@pytest.mark.parametrize(("count", "size"), [(30, 10), (1500, 500)])
def test_a_deep_page_costs_the_queries_of_the_first_and_reads_no_offset(
    client, settings, count, size
):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0  # every request renders
    settings.MITMACHEN_FRAGMENT_CACHE_SECONDS = 0  # every idea is serialised
    bulk_ideas(count)
    urls, url = [], f"{IDEAS}?page_size={size}"
    while url:
        urls.append(url)
        url = client.get(url).json()["next"]
    assert len(urls) == 3

    with CaptureQueriesContext(connection) as queries:
        response = client.get(urls[-1])

    assert response.status_code == 200
    assert len(response.json()["results"]) == size
    # the page's keys, its ideas, their action fields, quarters, measures (no idea's JSON is
    # cached here); the total is cached until ideas change
    assert len(queries.captured_queries) == 5
    [sql] = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]
    assert "OFFSET" not in sql
    assert f"LIMIT {size + 1}" in sql


def test_ties_in_the_sort_column_are_neither_lost_nor_repeated(client):
    ideas = bulk_ideas(7)
    first = ideas[0]
    type(first).objects.update(title="Gleicher Titel", submitted_at=first.submitted_at)

    for sort in ("", "oldest", "title"):
        _answers, seen = walk(client, {"page_size": 2, **({"sort": sort} if sort else {})})
        ids = [idea["id"] for idea in seen]
        assert sorted(ids) == sorted(idea.pk for idea in ideas)
        assert ids == sorted(ids, reverse=sort == ""), sort


def test_cursor_answers_match_the_openapi_schema(client):
    bulk_ideas(5)
    schema = client.get(reverse("api:schema")).json()
    first = client.get(IDEAS, {"page_size": 2})
    second = client.get(first.json()["next"])
    refused = client.get(IDEAS, {"cursor": "kaputt"})

    for response in (first, second, refused):
        assert conformance_errors(schema, IDEAS, answer(response)) == []
    assert second.json()["page"] is None
    documented = schema["paths"][IDEAS]["get"]["parameters"]
    assert any(parameter["name"] == "cursor" for parameter in documented)


def test_the_cursor_is_opaque_but_holds_only_the_sort_key(client):
    """It carries the sort column's value and the id, nothing of the idea's other data."""
    bulk_ideas(3)
    first = client.get(reverse("api:idea-list"), {"page_size": 1, "sort": "title"}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))

    assert decoded == ["n", "title", [first["results"][0]["title"], first["results"][0]["id"]]]


def test_a_ranked_search_pages_by_number_in_its_order(client):
    ideas = bulk_ideas(5)
    Idea.objects.filter(pk=ideas[0].pk).update(title="Radweg an der Saale")
    Idea.objects.filter(pk=ideas[1].pk).update(title="Radwege bauen, Radwege pflegen")
    from ideas import similarity_search

    similarity_search.idea_terms_missing()
    first = client.get(IDEAS, {"q": "Radweg", "page_size": 1}).json()
    paged = client.get(IDEAS, {"q": "Radweg", "page_size": 1, "page": 1}).json()
    # The relevance order of page 1, with page links (a ranking has no key to continue from).
    assert first["results"] == paged["results"]
    assert "page=2" in first["next"] and "cursor=" not in first["next"]
    refused = client.get(IDEAS, {"q": "Radweg", "cursor": "bm90aGluZw"})
    assert refused.status_code == 400


def test_each_ideas_json_is_cached_until_the_idea_changes(client, settings):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0  # every request renders
    ideas = bulk_ideas(30)
    client.get(IDEAS, {"page_size": 10})  # the first page's ideas are serialised and kept

    with CaptureQueriesContext(connection) as queries:
        again = client.get(IDEAS, {"page_size": 10}).json()["results"]
    assert len(queries.captured_queries) == 1  # the page's keys only
    changed = next(idea for idea in ideas if idea.pk == again[0]["id"])
    changed.title = "Neuer Titel"
    changed.save()
    after = client.get(IDEAS, {"page_size": 10}).json()["results"]

    assert after[0]["title"] == "Neuer Titel"
    assert [item["id"] for item in after] == [item["id"] for item in again]
    assert after[1:] == again[1:]
