"""Who may open what: every role against the staff pages, admin actions and assessor pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEntry
from ideas.models import Status
from review import assessments
from tests.factories import IdeaFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "assessor", "board", "editor", "administrator"]


def login_as(client, role):
    if role == "anonymous":
        return None
    user = {
        "citizen": lambda: UserFactory(),
        "assessor": lambda: user_with_role("Bewertung"),
        "board": lambda: user_with_role("Beirat"),
        "editor": lambda: user_with_role("Redaktion"),
        "administrator": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[role]()
    client.force_login(user)
    return user


def assert_refused(response, role):
    """Staff outside the role get 403; anyone else is sent to the admin's login."""
    if role == "administrator":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# The editors' working places; the logs also for administrators (accountability). Being a
# superuser is not a role: the administrator triages nothing until put in the editors' group.
STAFF_PAGES = [
    ("admin:ideas_idea_changelist", {"editor"}),
    ("admin:ideas_idea_add", {"editor"}),
    ("admin:review_criteriacatalogue_changelist", {"editor"}),
    ("admin:measures_measure_changelist", {"editor"}),
    ("admin:audit_auditentry_changelist", {"editor", "administrator"}),
    ("admin:notices_notice_changelist", {"editor", "administrator"}),
]
ALLOWED_STAFF = {"editor"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "allowed"), STAFF_PAGES)
def test_staff_pages(client, role, name, allowed):
    login_as(client, role)
    response = client.get(reverse(name))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_idea_change_page_and_bulk_status_action(client, role):
    idea = IdeaFactory()
    user = login_as(client, role)
    change = client.get(reverse("admin:ideas_idea_change", args=[idea.pk]))
    client.post(
        reverse("admin:ideas_idea_changelist"),
        {
            "action": "change_status",
            "_selected_action": [idea.pk],
            "apply": "1",
            "status": Status.SCREENED,
            "reason": "Sortiert",
        },
    )
    idea.refresh_from_db()
    if role in ALLOWED_STAFF:
        assert change.status_code == 200
        assert idea.status == Status.SCREENED
        assert AuditEntry.objects.about(idea).get().actor == user
    else:
        assert_refused(change, role)
        assert idea.status == Status.SUBMITTED
        assert not AuditEntry.objects.about(idea).exists()


@pytest.mark.parametrize("role", ROLES)
def test_assessor_pages(client, role):
    assessments.catalogue_create_default(call=(idea := IdeaFactory()).call)
    assessor = user_with_role("Bewertung")
    assessments.assessors_assign(
        ideas=[idea], assessors=[assessor], by=user_with_role("Redaktion")
    )
    assignment = idea.assignments.get()
    login_as(client, role)
    listing = client.get(reverse("review:assessor-list"))
    form = client.get(reverse("review:assessment-form", args=[assignment.pk]))
    if role == "anonymous":
        assert listing.status_code == 302 and form.status_code == 302
    elif role in ("citizen", "board", "editor", "administrator"):
        assert listing.status_code == 403 and form.status_code == 403
    else:  # another assessor: the list, but not this assignment
        assert listing.status_code == 200 and form.status_code == 404


def test_drafts_are_not_in_the_admin(client):
    from tests.factories import DraftFactory

    draft = DraftFactory(title="Privater Entwurf")
    login_as(client, "editor")
    page = client.get(reverse("admin:ideas_idea_changelist")).content.decode()
    assert "Privater Entwurf" not in page
    assert client.get(reverse("admin:ideas_idea_change", args=[draft.pk])).status_code == 302


def test_role_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redaktion",
        "Bewertung",
        "Beirat",
        "Administration",
    }


@pytest.mark.parametrize("role", ["citizen", "assessor", "board"])
@pytest.mark.parametrize(
    "action",
    ["assign_assessors", "mark_duplicate", "publish_feedback", "export_csv", "set_primary_field"],
)
def test_no_other_role_can_run_idea_actions(client, role, action):
    idea = IdeaFactory(feedback="Intern")
    login_as(client, role)
    response = client.post(
        reverse("admin:ideas_idea_changelist"),
        {
            "action": action,
            "_selected_action": [idea.pk],
            "apply": "1",
            "original": "SC-0000",
            "reason": "x",
            "field": idea.primary_field.pk,
        },
    )
    assert_refused(response, role)
    assert b"Intern" not in b"".join(getattr(response, "streaming_content", [response.content]))
    idea.refresh_from_db()
    assert idea.feedback_published_at is None and not idea.assignments.exists()


def test_staff_roles_need_two_factor_on_their_pages_too(client, settings):
    settings.MITMACHEN_STAFF_REQUIRE_MFA = True
    login_as(client, "assessor")
    response = client.get(reverse("review:assessor-list"))
    assert (
        (response.status_code == 302 and "mfa" in response["Location"])
        or "zwei" in response["Location"].lower()
        or response["Location"].endswith("/totp/activate/")
    )
