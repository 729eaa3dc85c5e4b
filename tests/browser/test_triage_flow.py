"""Staff triage in a real browser: an editor screens an idea and assigns an assessor in the
admin, the assessor scores it, the editor publishes feedback, the citizen sees it."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from audit.models import AuditEntry
from ideas.models import Idea, Status
from review import assessments
from tests.factories import CallFactory, IdeaFactory, UserFactory, ensure_role_groups

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _role(role, **kwargs):
    ensure_role_groups()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_editor_assessor_and_citizen(page, live_server, action_fields):
    call = CallFactory(title="Smart City Aufruf")
    catalogue = assessments.catalogue_create_default(call=call)
    citizen = UserFactory(display_name="Ideengeberin")
    idea = IdeaFactory(
        call=call,
        author=citizen,
        title="Sensoren für Schulwege",
        primary_field=action_fields["bildung"],
        action_fields=[action_fields["bildung"]],
    )
    editor = _role("Redaktion", is_staff=True, display_name="Redakteurin")
    assessor = _role("Bewertung", display_name="Gutachter")

    # The editor screens the idea with a reason, in the admin's bulk action.
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/verwaltung/ideas/idea/")
    page.check(f"input[name=_selected_action][value='{idea.pk}']")
    page.select_option("select[name=action]", "change_status")
    page.click("button[name=index]")
    page.select_option("select[name=status]", Status.SCREENED)
    page.fill("textarea[name=reason]", "Dem Handlungsfeld Bildung zugeordnet")
    page.click("input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("1")
    page.check(f"input[name=_selected_action][value='{idea.pk}']")
    page.select_option("select[name=action]", "assign_assessors")
    page.click("button[name=index]")
    page.check(f"input[name=assessors][value='{assessor.pk}']")
    page.click("input[name=apply]")
    idea.refresh_from_db()
    assert idea.status == Status.SCREENED
    assert idea.assignments.get().assessor == assessor

    # The assessor scores every criterion and submits.
    page.context.clear_cookies()
    log_in(page, live_server, assessor)
    page.goto(f"{live_server.url}/bewertung/")
    page.click(f"text={idea.reference}")
    for criterion in catalogue.criteria.all():
        page.select_option(f"#id_score_{criterion.pk}", "1" if criterion.knockout else "4")
    page.click("button[name=submit]")
    expect(page.locator(".messages")).to_be_visible()
    idea.refresh_from_db()
    assert idea.score is not None and idea.assessment_count == 1

    # The editor writes the feedback and publishes it.
    page.context.clear_cookies()
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/verwaltung/ideas/idea/{idea.pk}/change/")
    page.fill("textarea[name=feedback]", "Ihre Idee fließt in die Maßnahme Schulwege ein.")
    page.check("input[name=publish_feedback]")
    page.click("input[name=_save]")
    idea.refresh_from_db()
    assert idea.feedback_published_at is not None
    assert AuditEntry.objects.about(idea).count() >= 3

    # The citizen sees the status and the feedback on the idea's page.
    page.context.clear_cookies()
    log_in(page, live_server, citizen)
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Ihre Idee fließt in die Maßnahme Schulwege ein.")
    expect(page.locator("main")).to_contain_text(Idea.objects.get(pk=idea.pk).get_status_display())
