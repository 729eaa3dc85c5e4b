"""The list's and the API's text search use the analysis of the similar ideas: inflected
forms, compounds and synonyms are found, and results are ranked."""

import pytest
from django.urls import reverse

from ideas import similarity_search
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas():
    made = {
        "cycle": IdeaFactory(title="Fahrradwege am Saaleufer", summary="Sicher Rad fahren."),
        "kita": IdeaFactory(title="Hitzeschutz in Kitas", summary="Kühle Gruppenräume."),
        "benches": IdeaFactory(title="Mehr Bänke im Stadtpark", summary="Sitzen im Park."),
        "path": IdeaFactory(title="Beleuchteter Weg im Park", summary="Ein Radweg nebenan."),
    }
    similarity_search.idea_terms_missing()
    return made


def titles(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("Radwege", ["cycle", "path"], ["benches", "kita"]),
        ("Kindergarten Hitze", ["kita"], ["cycle", "benches"]),
        ("Sitzbank", ["benches"], ["cycle", "kita"]),
    ],
)
def test_the_list_finds_inflections_compounds_and_synonyms(
    client, ideas, query, found, not_found
):
    page = titles(client.get(reverse("ideas:idea-list"), {"q": query}))
    for key in found:
        assert ideas[key].title in page, key
    for key in not_found:
        assert ideas[key].title not in page, key


def test_results_are_ranked_by_how_well_they_match(client, ideas):
    page = titles(client.get(reverse("ideas:idea-list"), {"q": "Radweg Saale"}))
    # The cycle path by the Saale is older than the lit path, but matches better.
    assert ideas["cycle"].title in page
    assert ideas["path"].title not in page  # it has no "Saale"
    page = titles(client.get(reverse("ideas:idea-list"), {"q": "Radweg"}))
    assert page.index(ideas["cycle"].title) < page.index(ideas["path"].title)


def test_a_chosen_sort_order_wins_over_the_rank(client, ideas):
    page = titles(client.get(reverse("ideas:idea-list"), {"q": "Radweg", "sort": "title"}))
    assert page.index(ideas["path"].title) < page.index(ideas["cycle"].title)


def test_the_reference_number_and_plain_text_still_find_ideas(client, ideas):
    page = titles(client.get(reverse("ideas:idea-list"), {"q": ideas["kita"].reference}))
    assert ideas["kita"].title in page
    page = titles(client.get(reverse("ideas:idea-list"), {"q": "Saaleu"}))
    assert ideas["cycle"].title in page


def test_the_api_searches_the_same_way(client, ideas):
    response = client.get(reverse("api:idea-list"), {"q": "Radwege", "format": "json"})
    assert response.status_code == 200
    body = response.content.decode()
    assert ideas["cycle"].title in body and ideas["path"].title in body
    assert ideas["benches"].title not in body


@pytest.mark.parametrize("query", ["🚲", "<b>x</b>", "' & | ! :*", "Велосипед", "der die das"])
def test_odd_searches_answer(client, ideas, query):
    assert client.get(reverse("ideas:idea-list"), {"q": query}).status_code == 200
    assert client.get(reverse("api:idea-list"), {"q": query}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_runs_a_constant_number_of_queries(
    client, count, django_assert_max_num_queries
):
    IdeaFactory.create_batch(count, title="Radweg an der Saale")
    similarity_search.idea_terms_missing()
    with django_assert_max_num_queries(12):
        client.get(reverse("ideas:idea-list"), {"q": "Radwege"})
