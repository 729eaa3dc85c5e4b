"""Triage of ideas in the admin: every change through the review's services."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CallFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db



def test_citizen_cannot_open_the_admin(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("admin:ideas_idea_changelist"))
    assert response.status_code == 302
    assert "/verwaltung/login/" in response["Location"]


def test_editor_sees_ideas_with_submitter_data(client, editor):
    idea = IdeaFactory(author=UserFactory(email="kontakt-1234@example.org"))
    assert client.get(reverse("admin:ideas_idea_changelist")).status_code == 200
    page = client.get(reverse("admin:ideas_idea_change", args=[idea.pk])).content.decode()
    assert "kontakt-1234@example.org" in page
    assert idea.author.display_name in page


@pytest.mark.parametrize("count", [20, 2000])
def test_idea_changelist_runs_a_fixed_number_of_queries(
    client, editor, count, django_assert_max_num_queries
):
    from tests.ideas.test_lists import bulk_ideas

    bulk_ideas(count)
    # The same for 20 and 2,000: one query per filter's choices, none per row.
    with django_assert_max_num_queries(21):
        response = client.get(reverse("admin:ideas_idea_changelist"))
    assert response.status_code == 200


def test_csv_export_has_scores_per_criterion_and_defuses_formulas(client, editor):
    from review import assessments

    idea = IdeaFactory(title='=HYPERLINK("http://evil")')
    catalogue = assessments.catalogue_create_default(call=idea.call)
    response = client.post(
        reverse("admin:ideas_idea_changelist"),
        {"action": "export_csv", "_selected_action": [idea.pk]},
    )
    body = b"".join(response.streaming_content).decode()
    header = body.splitlines()[0]
    assert all(criterion.name in header for criterion in catalogue.criteria.all())
    assert "'=HYPERLINK" in body
    assert idea.reference in body


def test_xlsx_export_opens(client, editor):
    import io

    from openpyxl import load_workbook

    idea = IdeaFactory()
    response = client.post(
        reverse("admin:ideas_idea_changelist"),
        {"action": "export_xlsx", "_selected_action": [idea.pk]},
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[1][0] == idea.reference


def test_editor_enters_an_analog_idea_in_the_admin(client, editor):
    from tests.factories import QuarterFactory
    from tests.factories import action_field as field

    call = CallFactory()
    quarter = QuarterFactory()
    response = client.post(
        reverse("admin:ideas_idea_add"),
        {
            "call": call.pk,
            "channel": "post",
            "received_on": timezone.localdate().isoformat(),
            "paper_consent": "on",
            "submitter_name": "Erna",
            "title": "Per Brief",
            "summary": "Kurz",
            "description": "Lang",
            "problem": "P",
            "benefit": "N",
            "primary_field": field("bildung").pk,
            "action_fields": [field("bildung").pk],
            "quarters": [quarter.pk],
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from ideas.models import Idea

    idea = Idea.objects.get(title="Per Brief")
    assert idea.reference and idea.channel == "post" and idea.entered_by == editor


def test_second_editor_saving_a_stale_form_is_told(client, editor):
    idea = IdeaFactory(title="Alt")
    page = client.get(reverse("admin:ideas_idea_change", args=[idea.pk]))
    assert page.status_code == 200
    from ideas.models import Status
    from review import services as triage
    from tests.factories import user_with_role

    triage.idea_transition(
        idea=idea, to=Status.SCREENED, by=user_with_role("Redaktion"), reason="gleichzeitig"
    )
    response = client.post(
        reverse("admin:ideas_idea_change", args=[idea.pk]),
        {
            "expected_version": "1",
            "title": "Überschrieben",
            "summary": "s",
            "description": "d",
            "problem": "p",
            "benefit": "b",
            "target_groups": "",
            "whole_city": "on",
            "action_fields": [idea.primary_field.pk],
            "feedback": "",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.title == "Alt"
