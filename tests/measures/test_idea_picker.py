"""The measure form's idea picker: every eligible idea, found by reference, title, action
field or status, named with its title; only editors may ask."""

import pytest
from django.urls import reverse

from ideas.models import Status
from tests.factories import IdeaFactory, action_field, user_in_role
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

URL = "admin:measures_measure_idea_search"
ROLES = ["anonymous", "citizen", "author", "assessor", "board", "editor", "administrator"]


def search(client, term: str, page: int = 1) -> list[str]:
    response = client.get(reverse(URL), {"term": term, "page": page})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_may_search_ideas_for_a_measure(client, role):
    idea = IdeaFactory(status=Status.QUALIFIED, title="Sensorlaternen")
    login(client, user_in_role(role, author=idea.author))
    response = client.get(reverse(URL), {"term": "Sensor"})
    if role == "editor":
        assert response.status_code == 200
        assert "Sensorlaternen" in response.json()["results"][0]["text"]
    else:
        assert response.status_code in (302, 403)
        assert "Sensorlaternen" not in response.content.decode()


def test_search_by_reference_title_field_and_status_shows_titles(client):
    login(client, user_in_role("editor"))
    mobility = action_field("mobilitaet")
    qualified = IdeaFactory(
        status=Status.QUALIFIED,
        title="Carsharing am Markt",
        reference="SC-2022-0042",
        primary_field=mobility,
    )
    IdeaFactory(status=Status.IN_MEASURE, title="Radbügel mit Sensor")
    IdeaFactory(status=Status.SUBMITTED, title="Carsharing im Norden")  # not eligible
    assert search(client, "0042") == [
        f"SC-2022-0042 – Carsharing am Markt ({mobility.name} · Qualifiziert)"
    ]
    assert [text.split(" – ")[1] for text in search(client, "carsharing")] == [
        f"Carsharing am Markt ({mobility.name} · Qualifiziert)"
    ]
    assert any(qualified.title in text for text in search(client, mobility.name[:5]))
    assert [text for text in search(client, "Teil einer") if "Radbügel" in text]


def test_the_search_pages_through_every_eligible_idea(client):
    login(client, user_in_role("editor"))
    IdeaFactory.create_batch(25, status=Status.QUALIFIED)
    first = client.get(reverse(URL), {"term": "", "page": 1}).json()
    second = client.get(reverse(URL), {"term": "", "page": 2}).json()
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True
    assert len(second["results"]) == 5 and second["pagination"]["more"] is False


def test_the_measure_form_offers_the_picker_with_titles(client):
    login(client, user_in_role("editor"))
    response = client.get(reverse("admin:measures_measure_add"))
    html = response.content.decode()
    assert reverse(URL) in html
    assert "admin-autocomplete" in html
