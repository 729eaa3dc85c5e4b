"""Similar ideas while writing: the fragment under the idea form and, without JavaScript, the
step before submitting. A failing suggestion never blocks a submission."""

import pytest
from django.urls import reverse

from ideas import similarity_search
from ideas.models import Idea, Status
from tests.factories import IdeaFactory, idea_form_data

pytestmark = pytest.mark.django_db

URL = reverse("ideas:similar-while-writing")


@pytest.fixture
def cycle_path(open_call):
    idea = IdeaFactory(
        call=open_call,
        title="Fahrradwege am Saaleufer bauen",
        summary="Am Ufer der Saale fehlt ein sicherer Weg fürs Fahrrad.",
    )
    similarity_search.idea_terms_missing()
    return idea


def test_the_fragment_lists_similar_published_ideas_with_field_status_and_supports(
    citizen_client, cycle_path
):
    Idea.objects.filter(pk=cycle_path.pk).update(support_count=31)
    response = citizen_client.get(URL, {"title": "Radweg an der Saale", "problem": "Radwege"})
    assert response.status_code == 200
    html = response.content.decode()
    assert cycle_path.title in html
    assert cycle_path.get_absolute_url() in html
    assert str(cycle_path.primary_field) in html
    assert "31 Unterstützungen" in html
    assert response["Cache-Control"] == "private, no-store"


def test_the_fragment_says_so_when_nothing_is_similar(citizen_client, cycle_path):
    html = citizen_client.get(URL, {"title": "Schachtische im Park"}).content.decode()
    assert cycle_path.title not in html
    assert "similar-ideas" not in html


@pytest.mark.parametrize(
    "title",
    ["", "🚲", "<script>alert(1)</script>", "Radweg " * 3000, "Велосипедная дорожка"],
)
def test_the_fragment_answers_bad_input(citizen_client, cycle_path, title):
    response = citizen_client.get(URL, {"title": title, "summary": title, "idea": "x"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_the_fragment_is_for_signed_in_citizens_only(client):
    assert client.get(URL, {"title": "Radweg"}).status_code == 302


def test_without_javascript_similar_ideas_are_a_step_before_submitting(
    citizen_client, open_call, cycle_path
):
    create = reverse("ideas:idea-create", args=[open_call.slug])
    data = idea_form_data(title="Neuer Radweg entlang der Saale", summary="Radweg am Ufer.")
    response = citizen_client.post(create, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert cycle_path.title in html
    # The draft is saved with everything typed; the form now posts to its edit page.
    draft = Idea.objects.get(title="Neuer Radweg entlang der Saale")
    assert draft.status == Status.DRAFT
    assert draft.summary == "Radweg am Ufer."
    assert reverse("ideas:idea-edit", args=[draft.pk]) in html
    assert 'name="similar_seen" value="1"' in html

    response = citizen_client.post(
        reverse("ideas:idea-edit", args=[draft.pk]), {**data, "similar_seen": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_a_failing_suggestion_never_blocks_a_submission(
    citizen_client, open_call, cycle_path, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(similarity_search, "similar_to_text", broken)
    create = reverse("ideas:idea-create", args=[open_call.slug])
    response = citizen_client.post(create, idea_form_data(title="Radweg an der Saale"))
    assert response.status_code == 302
    assert Idea.objects.get(title="Radweg an der Saale").status == Status.SUBMITTED
    assert citizen_client.get(URL, {"title": "Radweg"}).status_code == 200


def test_an_idea_unlike_the_others_is_submitted_at_once(citizen_client, open_call, cycle_path):
    create = reverse("ideas:idea-create", args=[open_call.slug])
    response = citizen_client.post(create, idea_form_data())
    assert response.status_code == 302
    assert Idea.objects.get(title="Sensoren an der Saale").status == Status.SUBMITTED
