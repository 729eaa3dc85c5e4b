from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ideas.models import CallExtension
from tests.factories import CallFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def test_citizen_cannot_open_the_admin(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("admin:ideas_idea_changelist"))
    assert response.status_code == 302
    assert "/verwaltung/login/" in response["Location"]


def test_editor_sees_ideas_with_submitter_data(client, editor):
    idea = IdeaFactory(author=UserFactory(email="kontakt-1234@example.org"))
    assert client.get(reverse("admin:ideas_idea_changelist")).status_code == 200
    page = client.get(reverse("admin:ideas_idea_change", args=[idea.pk])).content.decode()
    assert "kontakt-1234@example.org" in page or idea.author.display_name in page


def test_editor_extends_a_call_in_the_admin(client, editor):
    call = CallFactory()
    new = timezone.localtime(call.deadline + timedelta(days=14))
    response = client.post(
        reverse("admin:ideas_callextension_add"),
        {
            "call": call.pk,
            "new_deadline_0": new.strftime("%d.%m.%Y"),
            "new_deadline_1": new.strftime("%H:%M:%S"),
            "reason": "Ferienzeit",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.deadline.replace(microsecond=0) == new.replace(microsecond=0)
    extension = CallExtension.objects.get(call=call)
    assert extension.created_by == editor


def test_extension_to_an_earlier_date_is_refused_in_the_admin(client, editor):
    call = CallFactory()
    old = call.deadline
    earlier = timezone.localtime(old - timedelta(days=1))
    client.post(
        reverse("admin:ideas_callextension_add"),
        {
            "call": call.pk,
            "new_deadline_0": earlier.strftime("%d.%m.%Y"),
            "new_deadline_1": earlier.strftime("%H:%M:%S"),
            "reason": "Versehen",
        },
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    call.refresh_from_db()
    assert call.deadline == old
    assert not CallExtension.objects.exists()


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_published_call_dates_can_only_move_by_extension(client, editor):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="change_call"))
    call = CallFactory()
    page = client.get(reverse("admin:ideas_call_change", args=[call.pk])).content.decode()
    assert 'name="closes_at_0"' not in page
    assert 'name="title"' in page


def test_extension_in_the_admin_notifies_everyone_affected_once(
    client, editor, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import DraftFactory

    call = CallFactory()
    draft = DraftFactory(call=call)
    submitted = IdeaFactory(call=call)
    new = timezone.localtime(call.deadline + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:ideas_callextension_add"),
            {
                "call": call.pk,
                "new_deadline_0": new.strftime("%d.%m.%Y"),
                "new_deadline_1": new.strftime("%H:%M:%S"),
                "reason": "Mehr Zeit",
            },
        )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [draft.author.email, submitted.author.email]
    )
    assert all(new.strftime("%d.%m.%Y") in message.body for message in mail.outbox)
    log = client.get(reverse("admin:ideas_notice_changelist")).content.decode()
    assert draft.author.email in log


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
    from ideas import assessments

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
    from ideas import triage
    from ideas.models import Status
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
