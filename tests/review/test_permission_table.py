"""Who may do what in the review, role by role: triage (status, feedback, duplicates,
assigning assessors), assessing, the ranking and the criteria catalogue.

Each row names a role and whether the action is allowed. A test checks the predicate of
`review.permissions` and what the service or page does: when allowed the change is made,
when refused it raises PermissionDenied (or the page answers 302 to the login, 403 or 404)
and the database stays as it was. A superuser is an administrator, neither an editor nor an
assessor, unless put in that group (accounts.roles)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from ideas.models import Idea, Status
from review import assessments, permissions
from review import services as triage
from review.models import Assessment, Assignment, CriteriaCatalogue, Score
from tests.factories import CallFactory, IdeaFactory, user_in_role, user_with_role
from tests.factories import call_in_phase as call_in
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

# "author" is the author of the idea the action is about.
ROLES = ["anonymous", "citizen", "author", "assessor", "board", "editor", "administrator"]


def make_user(role: str, idea: Idea | None = None):
    return user_in_role(role, author=idea.author if idea else None)


def full_values(catalogue) -> dict[int, tuple[int, str]]:
    """A complete assessment: every knock-out met, every other criterion a 4."""
    return {
        criterion.pk: (1, "") if criterion.knockout else (4, "")
        for criterion in catalogue.criteria.all()
    }


# --- Triage (can_triage) --------------------------------------------------------------------

# Editors triage, whether the call is still open or closed; nobody else, superusers included.
TRIAGE = [(role, phase, role == "editor") for role in ROLES for phase in ["open", "closed"]]


def _audited(idea, action: str) -> bool:
    return AuditEntry.objects.about(idea).filter(action=action).exists()


@pytest.mark.parametrize(("role", "phase", "allowed"), TRIAGE)
def test_moving_an_idea_on(role, phase, allowed):
    idea = IdeaFactory(call=call_in(phase))
    user = make_user(role, idea)
    assert permissions.can_triage(user) is allowed
    if allowed:
        triage.idea_transition(idea=idea, to=Status.SCREENED, by=user, reason="Gesichtet")
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            triage.idea_transition(idea=idea, to=Status.SCREENED, by=user, reason="Gesichtet")
    idea.refresh_from_db()
    assert idea.status == (Status.SCREENED if allowed else Status.SUBMITTED)
    assert _audited(idea, "review.idea.status_changed") is allowed


@pytest.mark.parametrize(("role", "phase", "allowed"), TRIAGE)
def test_giving_feedback(role, phase, allowed):
    idea = IdeaFactory(call=call_in(phase))
    user = make_user(role, idea)
    assert permissions.can_triage(user) is allowed
    arguments = {"idea": idea, "text": "Danke, wir prüfen das.", "by": user, "publish": True}
    if allowed:
        triage.idea_feedback_set(**arguments)
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            triage.idea_feedback_set(**arguments)
    idea.refresh_from_db()
    if allowed:
        assert idea.feedback == "Danke, wir prüfen das." and idea.feedback_is_public
    else:
        assert idea.feedback == "" and idea.feedback_published_at is None
    assert _audited(idea, "review.idea.feedback_set") is allowed


@pytest.mark.parametrize(("role", "phase", "allowed"), TRIAGE)
def test_marking_a_duplicate(role, phase, allowed):
    original = IdeaFactory(call=call_in(phase))
    idea = IdeaFactory(call=original.call)
    user = make_user(role, idea)
    assert permissions.can_triage(user) is allowed
    arguments = {"idea": idea, "original": original, "by": user, "reason": "Gleiche Idee"}
    if allowed:
        triage.idea_mark_duplicate(**arguments)
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            triage.idea_mark_duplicate(**arguments)
    idea.refresh_from_db()
    if allowed:
        assert (idea.status, idea.duplicate_of) == (Status.DUPLICATE, original)
    else:
        assert (idea.status, idea.duplicate_of) == (Status.SUBMITTED, None)
    assert _audited(idea, "review.idea.status_changed") is allowed


@pytest.mark.parametrize(("role", "phase", "allowed"), TRIAGE)
def test_assigning_an_assessor(role, phase, allowed):
    idea = IdeaFactory(call=call_in(phase))
    assessor = user_with_role("Bewertung")
    user = make_user(role, idea)
    assert permissions.can_triage(user) is allowed
    if allowed:
        assert assessments.assessors_assign(ideas=[idea], assessors=[assessor], by=user) == 1
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            assessments.assessors_assign(ideas=[idea], assessors=[assessor], by=user)
    assert Assignment.objects.filter(idea=idea, assessor=assessor).exists() is allowed
    assert _audited(idea, "review.idea.assessor_assigned") is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("assessor", True),
        ("administrator", False),
        ("editor", False),
        ("board", False),
        ("citizen", False),
    ],
)
def test_only_assessors_can_be_assigned(who, allowed):
    idea = IdeaFactory()
    editor = user_with_role("Redaktion")
    candidate = make_user(who)
    assert permissions.can_be_assigned(candidate) is allowed
    if allowed:
        assessments.assessors_assign(ideas=[idea], assessors=[candidate], by=editor)
    else:
        with pytest.raises(ValidationError, match=r"Person \d+ gehört nicht zur Gruppe Bewertung"):
            assessments.assessors_assign(ideas=[idea], assessors=[candidate], by=editor)
    assert Assignment.objects.filter(idea=idea, assessor=candidate).exists() is allowed


# --- Assessing (can_use_assessor_pages, can_assess, assessment_record) ---------------------


@pytest.fixture
def assignment():
    """An idea under assessment with the Halle catalogue, assigned to one assessor."""
    idea = IdeaFactory(status=Status.IN_QUALIFICATION)
    assessments.catalogue_create_default(call=idea.call)
    assessor = user_with_role("Bewertung")
    assessments.assessors_assign(
        ideas=[idea], assessors=[assessor], by=user_with_role("Redaktion")
    )
    return idea.assignments.get()


def assessing(who: str, assignment: Assignment):
    """(user, the assignment they try to score) for each kind of person."""
    if who == "assigned":
        return assignment.assessor, assignment
    if who == "recused":
        assessments.assignment_recuse(
            assignment=assignment, by=assignment.assessor, reason="Mein Nachbar"
        )
        assignment.refresh_from_db()
        return assignment.assessor, assignment
    if who == "former_assessor":
        # Assigned while in the group, then left it.
        assignment.assessor.groups.remove(Group.objects.get(name="Bewertung"))
        user = type(assignment.assessor).objects.get(pk=assignment.assessor_id)
        return user, assignment
    if who == "administrator_assigned":
        # A superuser with an assignment of their own (written directly: the service would
        # refuse to assign someone outside the assessors' group).
        user = make_user("administrator")
        return user, Assignment.objects.create(idea=assignment.idea, assessor=user)
    if who == "other_assessor":
        return make_user("assessor"), assignment
    return make_user(who, assignment.idea), assignment


ASSESS = [
    ("assigned", True, True),
    ("recused", True, False),
    ("former_assessor", False, False),
    ("administrator_assigned", False, False),
    ("other_assessor", True, False),
    ("anonymous", False, False),
    ("citizen", False, False),
    ("author", False, False),
    ("board", False, False),
    ("editor", False, False),
    ("administrator", False, False),
]


@pytest.mark.parametrize(("who", "uses_pages", "allowed"), ASSESS)
def test_assessing_an_idea(assignment, who, uses_pages, allowed):
    user, target = assessing(who, assignment)
    assert permissions.can_use_assessor_pages(user) is uses_pages
    assert permissions.can_assess(user, target) is allowed
    values = full_values(assessments.selectors.catalogue_current(target.idea.call))
    if allowed:
        assessments.assessment_record(assignment=target, by=user, values=values, submit=True)
    else:
        reason = (
            "Sie haben sich für diese Idee für befangen erklärt"
            if who == "recused"
            else "Diese Idee ist Ihnen nicht zur Bewertung zugewiesen"
        )
        with pytest.raises(PermissionDenied, match=reason):
            assessments.assessment_record(assignment=target, by=user, values=values, submit=True)
    idea = Idea.objects.get(pk=target.idea_id)
    if allowed:
        assert Assessment.objects.get(assignment=target).submitted_at is not None
        assert Score.objects.filter(assessment__assignment=target).count() == len(values)
        assert (idea.assessment_count, idea.score) == (1, Decimal("4.000"))
    else:
        assert not Assessment.objects.exists() and not Score.objects.exists()
        assert (idea.assessment_count, idea.score) == (0, None)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.SUBMITTED, True),
        (Status.SCREENED, True),
        (Status.IN_QUALIFICATION, True),
        (Status.NOT_PURSUED, False),
        (Status.DUPLICATE, False),
    ],
)
def test_the_assigned_assessor_scores_only_ideas_under_assessment(assignment, status, allowed):
    Idea.objects.filter(pk=assignment.idea_id).update(status=status)
    values = full_values(assessments.selectors.catalogue_current(assignment.idea.call))
    arguments = {"assignment": assignment, "by": assignment.assessor, "values": values}
    if allowed:
        assessments.assessment_record(**arguments, submit=True)
    else:
        with pytest.raises(PermissionDenied, match="Diese Idee wird nicht bewertet"):
            assessments.assessment_record(**arguments, submit=True)
    assert Assessment.objects.filter(assignment=assignment).exists() is allowed


# What the assessment page answers to a complete, submitted form.
ASSESSMENT_PAGE = [
    ("assigned", 302, True),
    ("recused", 200, False),
    ("other_assessor", 404, False),
    ("former_assessor", 403, False),
    ("administrator_assigned", 403, False),
    ("anonymous", 302, False),
    ("citizen", 403, False),
    ("author", 403, False),
    ("board", 403, False),
    ("editor", 403, False),
    ("administrator", 403, False),
]


@pytest.mark.parametrize(("who", "status", "saved"), ASSESSMENT_PAGE)
def test_posting_the_assessment_page(client, assignment, who, status, saved):
    user, target = assessing(who, assignment)
    login(client, user)
    values = full_values(assessments.selectors.catalogue_current(target.idea.call))
    data = {f"score_{pk}": str(value) for pk, (value, _reason) in values.items()}
    data["submit"] = "1"
    url = reverse("review:assessment-form", args=[target.pk])
    response = client.post(url, data)
    assert response.status_code == status
    if who == "anonymous":
        assert "login" in response["Location"]
    if who == "assigned":
        assert response["Location"] == url
    if who == "recused":
        assert "Sie haben sich für diese Idee für befangen erklärt." in response.content.decode()
    assert Assessment.objects.filter(assignment=target).exists() is saved
    assert Idea.objects.get(pk=target.idea_id).assessment_count == int(saved)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("assigned", 200),
        ("other_assessor", 200),
        ("anonymous", 302),
        ("citizen", 403),
        ("author", 403),
        ("board", 403),
        ("editor", 403),
        ("administrator", 403),
    ],
)
def test_the_assessors_list(client, assignment, who, status):
    user, _target = assessing(who, assignment)
    login(client, user)
    response = client.get(reverse("review:assessor-list"))
    assert response.status_code == status
    # The menu shows the way in to assessors only.
    menu = client.get(reverse("ideas:home")).content.decode()
    assert (f'href="{reverse("review:assessor-list")}"' in menu) is (status == 200)
    page = response.content.decode()
    # Assessors see their own assignments, not the others'.
    assert (assignment.idea.title in page) is (who == "assigned")


# --- The ranking (can_view_ranking) ---------------------------------------------------------


@pytest.mark.parametrize("format_", ["page", "csv"])
@pytest.mark.parametrize("role", ROLES)
def test_the_ranking(client, role, format_):
    idea = IdeaFactory(
        title="Digitale Bürgerbank",
        status=Status.IN_QUALIFICATION,
        score=Decimal("4.000"),
        assessment_count=2,
    )
    assessments.catalogue_create_default(call=idea.call)
    user = make_user(role, idea)
    allowed = role == "editor"
    assert permissions.can_view_ranking(user) is allowed
    login(client, user)
    url = reverse("review:ranking", args=[idea.call.slug])
    response = client.get(url, {"format": "csv"} if format_ == "csv" else {})
    body = response.getvalue().decode()
    if allowed:
        assert response.status_code == 200
        assert idea.reference in body and "Digitale Bürgerbank" in body
        if format_ == "csv":
            assert response["Content-Type"].startswith("text/csv")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert idea.reference not in body and "Digitale Bürgerbank" not in body
        if role == "anonymous":
            assert "login" in response["Location"]


# --- The criteria catalogue (can_edit_catalogue, catalogue_save) ---------------------------

CATALOGUE = [
    (role, state, role == "editor" and state != "frozen")
    for role in ROLES
    for state in ["new", "unused", "frozen"]
]


def catalogue_in(state: str) -> CriteriaCatalogue:
    """ "new": not saved yet (a new version); "unused": saved, nobody scored against it;
    "frozen": an assessor has scored against it."""
    idea = IdeaFactory(status=Status.IN_QUALIFICATION)
    catalogue = assessments.catalogue_create_default(call=idea.call)
    if state == "new":
        return CriteriaCatalogue(call=idea.call, threshold=Decimal("3.00"))
    if state == "frozen":
        assessor = user_with_role("Bewertung")
        assessments.assessors_assign(
            ideas=[idea], assessors=[assessor], by=user_with_role("Redaktion")
        )
        assessments.assessment_record(
            assignment=idea.assignments.get(), by=assessor, values=full_values(catalogue)
        )
        assert catalogue.is_frozen
    return catalogue


@pytest.mark.parametrize(("role", "state", "allowed"), CATALOGUE)
def test_changing_a_catalogue(role, state, allowed):
    catalogue = catalogue_in(state)
    call = catalogue.call
    user = make_user(role, call.ideas.get())
    # The admin asks about a catalogue not saved yet with None.
    assert permissions.can_edit_catalogue(user, None if state == "new" else catalogue) is allowed
    catalogue.threshold = Decimal("4.50")
    if allowed:
        assessments.catalogue_save(catalogue=catalogue, by=user)
    else:
        # Refused by role, or (for an editor) because assessments use this version.
        refusal = (
            pytest.raises(ValidationError, match="Diese Version wird in Bewertungen verwendet")
            if role == "editor"
            else pytest.raises(PermissionDenied, match=r"^Das darf nur die Redaktion\.$")
        )
        with refusal:
            assessments.catalogue_save(catalogue=catalogue, by=user)
    thresholds = sorted(call.catalogues.values_list("version", "threshold"))
    if state == "new":
        expected = [(1, Decimal("3.00"))] + ([(2, Decimal("4.50"))] if allowed else [])
    else:
        expected = [(1, Decimal("4.50") if allowed else Decimal("3.00"))]
    assert thresholds == expected
    changes = AuditEntry.objects.filter(
        action__in=["review.catalogue.created", "review.catalogue.changed"], actor__isnull=False
    )
    assert changes.exists() is allowed


@pytest.mark.parametrize(
    ("role", "state", "status", "editable"),
    [
        ("editor", "unused", 200, True),
        ("editor", "frozen", 200, False),
        ("administrator", "unused", 403, False),
        ("assessor", "unused", 302, False),
        ("citizen", "unused", 302, False),
    ],
)
def test_the_catalogue_page_in_the_admin(client, role, state, status, editable):
    catalogue = catalogue_in(state)
    login(client, make_user(role))
    response = client.get(reverse("admin:review_criteriacatalogue_change", args=[catalogue.pk]))
    assert response.status_code == status
    page = response.content.decode()
    assert ('name="threshold"' in page) is editable
    assert ('name="criteria-0-weight"' in page) is editable


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("editor", 302),
        ("administrator", 403),
        ("assessor", 302),
        ("board", 302),
        ("citizen", 302),
        ("anonymous", 302),
    ],
)
def test_adding_a_catalogue_in_the_admin(client, role, status):
    call = CallFactory()
    user = make_user(role)
    login(client, user)
    response = client.post(
        reverse("admin:review_criteriacatalogue_add"),
        {
            "call": call.pk,
            "version": "1",
            "threshold": "3.00",
            "created_at_0": timezone.localdate().isoformat(),
            "created_at_1": "10:00:00",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == status
    allowed = role == "editor"
    if not allowed and status == 302:
        assert "login" in response["Location"]
    assert call.catalogues.exists() is allowed
