"""The idea list's filtering and paging without a full reload (issue 20): htmx asks the same
address for the results only; the page cache keeps the two answers apart; one address per
filtering, with or without JavaScript; active filters as removable chips."""

import pytest
from django.urls import reverse

from tests.factories import IdeaFactory, QuarterFactory
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db

LIST = reverse("ideas:idea-list")
HTMX = {"HX-Request": "true", "HX-Target": "idea-results"}


def test_htmx_gets_the_results_alone_and_the_browser_the_whole_page(client):
    IdeaFactory(title="Lernplattform", primary_field=field("bildung"))
    whole = client.get(LIST, {"field": "bildung"})
    part = client.get(LIST, {"field": "bildung"}, headers=HTMX)

    assert "<html" in whole.content.decode() and 'id="idea-results"' in whole.content.decode()
    fragment = part.content.decode()
    assert "<html" not in fragment and "<form" not in fragment
    assert 'id="idea-results"' in fragment and "Lernplattform" in fragment
    # The count and the number of active filters outside the results follow out of band.
    assert '<span id="result-count" hx-swap-oob="innerHTML">1 Idee gefunden' in fragment
    assert '<span id="filter-count" hx-swap-oob="innerHTML">(1 aktiv)' in fragment
    for response in (whole, part):
        assert "HX-Request" in response["Vary"]


def test_the_page_cache_keeps_the_page_and_its_results_apart(client, django_assert_num_queries):
    IdeaFactory(title="Lernplattform")
    client.get(LIST)
    client.get(LIST, headers=HTMX)
    with django_assert_num_queries(0):
        part = client.get(LIST, headers=HTMX).content.decode()
        whole = client.get(LIST).content.decode()
    assert "<html" not in part and "Lernplattform" in part
    assert "<html" in whole and "Lernplattform" in whole


def test_a_history_restore_gets_the_whole_page(client):
    IdeaFactory()
    page = client.get(LIST, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in page.content.decode()


def test_a_form_sent_without_javascript_lands_on_the_address_without_empty_fields(client):
    response = client.get(LIST, {"q": "", "call": "", "field": "bildung", "sort": "newest"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?field=bildung&sort=newest"
    assert client.get(LIST, {"q": "", "field": ""})["Location"] == LIST


def test_active_filters_show_as_chips_that_remove_themselves(client):
    quarter = QuarterFactory(name="Silberhöhe", code="61")
    idea = IdeaFactory(title="Spielplatz", primary_field=field("bildung"), whole_city=False)
    idea.quarters.set([quarter])
    response = client.get(LIST, {"field": "bildung", "quarter": "61", "page": "1"})
    chips = {chip.label: chip for chip in response.context["active_filters"]}
    assert set(chips) == {"Handlungsfeld", "Stadtteil"}
    assert chips["Stadtteil"].value == "Silberhöhe"
    # Removing one keeps the others and starts at the first page.
    assert chips["Stadtteil"].remove_url == "?field=bildung"
    assert chips["Handlungsfeld"].remove_url == "?quarter=61"
    page = response.content.decode()
    assert "(2 aktiv)" in page
    assert 'href="?quarter=61"' in page
    assert "sortiert: Neueste zuerst" in page


def test_no_result_says_what_to_do(client):
    IdeaFactory(title="Lernplattform")
    page = client.get(LIST, {"q": "gibt-es-nicht"}).content.decode()
    assert "Keine Idee passt zu diesen Filtern." in page
    assert "Lernplattform" not in page


def test_cards_show_field_colour_quarter_and_status(client):
    quarter = QuarterFactory(name="Giebichenstein")
    idea = IdeaFactory(title="Saale-Sensoren", primary_field=field("bildung"), whole_city=False)
    idea.quarters.set([quarter])
    card = client.get(LIST).content.decode()
    assert f"--field-colour: {field('bildung').colour}" in card
    assert "Giebichenstein" in card
    assert "Eingereicht" in card


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        ("not_found", 404, "Seite nicht gefunden"),
        ("permission_denied", 403, "Zugriff verweigert"),
        ("server_error", 500, "Serverfehler"),
    ],
)
def test_error_pages_speak_german_and_offer_the_same_ways_on(rf, view, status, heading):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from halle_smartcity import views

    request = rf.get("/irgendwo/")
    request.user = AnonymousUser()
    with translation.override("de"):
        response = (
            getattr(views, view)(request)
            if view == "server_error"
            else getattr(views, view)(request, Exception())
        )
    page = response.content.decode()
    assert response.status_code == status
    assert f'<h1 class="kern-heading-x-large">{heading}</h1>' in page
    for way in ("Zur Startseite", "Alle Ideen", "Veranstaltungen und Zeitleiste"):
        assert f'<span class="kern-label">{way}</span>' in page


def test_a_filter_not_understood_is_said_in_the_swapped_results_too(client):
    IdeaFactory(title="Lernplattform")
    fragment = client.get(LIST, {"q": "x" * 101}, headers=HTMX).content.decode()
    assert "nicht erkannt" in fragment and "Lernplattform" in fragment
    # Said once: the next page does not repeat it.
    assert "nicht erkannt" not in client.get(LIST).content.decode()
