from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from ideas.models import Idea, Status
from review import assessments, selectors
from review import services as triage
from review.models import Criterion
from tests.factories import CallFactory, IdeaFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_with_role("Redaktion")


@pytest.fixture
def catalogue():
    return assessments.catalogue_create_default(call=CallFactory())


def full_values(catalogue, value=4, knockout=1):
    values = {}
    for criterion in catalogue.criteria.all():
        if criterion.knockout:
            values[criterion.pk] = (knockout, "" if knockout else "Nicht in Halle")
        else:
            values[criterion.pk] = (value, "Begründung" if value in (0, 5) else "")
    return values


def assigned(catalogue, editor, count=2):
    idea = IdeaFactory(call=catalogue.call, status=Status.IN_QUALIFICATION)
    assessors = [user_with_role("Bewertung") for _ in range(count)]
    assessments.assessors_assign(ideas=[idea], assessors=assessors, by=editor)
    return idea, [idea.assignments.get(assessor=assessor) for assessor in assessors]


def test_halle_default_catalogue():
    catalogue = assessments.catalogue_create_default(call=CallFactory())
    criteria = list(catalogue.criteria.all())
    assert [c.code for c in criteria if c.knockout] == ["K1", "K2", "K3"]
    assert sum(c.weight for c in criteria) == Decimal(100)
    assert catalogue.threshold == Decimal("3.0")
    assert assessments.catalogue_errors(criteria) == []


def test_scores_from_several_assessors_give_the_ideas_result_and_ranking(catalogue, editor):
    idea, (first, second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue, 4), submit=True
    )
    assessments.assessment_record(
        assignment=second, by=second.assessor, values=full_values(catalogue, 2), submit=True
    )
    idea.refresh_from_db()
    assert idea.score == Decimal("3.000")
    assert idea.assessment_count == 2
    assert selectors.idea_qualifies(idea)
    summary = selectors.idea_criterion_summary(idea=idea)
    assert all(row["disagreement"] for row in summary if not row["criterion"].knockout)
    better, _ = assigned(catalogue, editor, count=1)
    one = better.assignments.get()
    assessments.assessment_record(
        assignment=one, by=one.assessor, values=full_values(catalogue, 5), submit=True
    )
    ranking = selectors.ranking(call=catalogue.call)
    assert [item.pk for _rank, item in ranking][:2] == [better.pk, idea.pk]


def test_failed_knock_out_blocks_qualification(catalogue, editor):
    idea, (first, second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue, 5), submit=True
    )
    assessments.assessment_record(
        assignment=second,
        by=second.assessor,
        values=full_values(catalogue, 5, knockout=0),
        submit=True,
    )
    idea.refresh_from_db()
    assert idea.knockout_failed and not selectors.idea_qualifies(idea)
    with pytest.raises(ValidationError, match="Diese Idee qualifiziert sich nicht: Sie ist noch"):
        triage.idea_transition(idea=idea, to=Status.QUALIFIED, by=editor, reason="x")


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("out_of_range", "score"),
        ("knockout_without_reason", "reason"),
        ("top_without_reason", "reason"),
    ],
)
def test_bad_scores_are_refused_and_nothing_saved(catalogue, editor, change, key):
    idea, (assignment, _other) = assigned(catalogue, editor)
    values = full_values(catalogue, 3)
    weighted = Criterion.objects.filter(catalogue=catalogue, knockout=False).first()
    knockout = Criterion.objects.filter(catalogue=catalogue, knockout=True).first()
    if change == "out_of_range":
        values[weighted.pk] = (7, "")
        target = weighted
    elif change == "knockout_without_reason":
        values[knockout.pk] = (0, "")
        target = knockout
    else:
        values[weighted.pk] = (5, " ")
        target = weighted
    with pytest.raises(ValidationError, match=f"'{key}_{target.pk}'") as caught:
        assessments.assessment_record(
            assignment=assignment, by=assignment.assessor, values=values, submit=True
        )
    assert f"{key}_{target.pk}" in caught.value.error_dict
    idea.refresh_from_db()
    assert idea.assessment_count == 0


def test_assessor_may_only_score_own_assignments_and_not_after_recusal(catalogue, editor):
    idea, (mine, theirs) = assigned(catalogue, editor)
    with pytest.raises(PermissionDenied, match="Diese Idee ist Ihnen nicht zur Bewertung"):
        assessments.assessment_record(
            assignment=theirs, by=mine.assessor, values=full_values(catalogue), submit=True
        )
    assessments.assignment_recuse(assignment=mine, by=mine.assessor, reason="Nachbarin")
    with pytest.raises(PermissionDenied, match="Sie haben sich für diese Idee für befangen"):
        assessments.assessment_record(
            assignment=mine, by=mine.assessor, values=full_values(catalogue), submit=True
        )
    assert AuditEntry.objects.about(idea).filter(action="review.idea.assessor_recused").exists()


def test_recused_scores_do_not_count(catalogue, editor):
    idea, (first, second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue, 1), submit=True
    )
    assessments.assessment_record(
        assignment=second, by=second.assessor, values=full_values(catalogue, 4), submit=True
    )
    assessments.assignment_recuse(assignment=first, by=first.assessor, reason="Befangen")
    idea.refresh_from_db()
    assert idea.score == Decimal("4.000")


def test_catalogue_with_scores_is_frozen_and_a_new_version_copies_it(catalogue, editor):
    _idea, (first, _second) = assigned(catalogue, editor)
    assert not catalogue.is_frozen
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue), submit=True
    )
    assert catalogue.is_frozen
    copy = assessments.catalogue_new_version(catalogue=catalogue, by=editor)
    assert copy.version == 2
    assert copy.criteria.count() == catalogue.criteria.count()
    assert not copy.is_frozen


def test_assessor_sees_the_others_scores_only_after_submitting(client, catalogue, editor):
    idea, (first, second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=second, by=second.assessor, values=full_values(catalogue, 2), submit=True
    )
    client.force_login(first.assessor)
    url = reverse("review:assessment-form", args=[first.pk])
    assert client.get(url).context["summary"] is None
    data = {f"score_{pk}": str(value) for pk, (value, _r) in full_values(catalogue, 4).items()}
    data.update({f"reason_{pk}": reason for pk, (_v, reason) in full_values(catalogue, 4).items()})
    data["submit"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    summary = client.get(url).context["summary"]
    assert summary and summary[3]["values"] and sorted(summary[3]["values"]) == [2, 4]
    idea.refresh_from_db()
    assert idea.score == Decimal("3.000")


def test_assessor_pages_refuse_others(client, catalogue, editor):
    _idea, (mine, theirs) = assigned(catalogue, editor)
    client.force_login(mine.assessor)
    assert client.get(reverse("review:assessment-form", args=[theirs.pk])).status_code == 404
    client.force_login(user_with_role("Beirat"))
    assert client.get(reverse("review:assessor-list")).status_code == 403
    assert client.get(reverse("review:assessment-form", args=[mine.pk])).status_code == 403


def test_assessment_form_shows_german_errors(client, catalogue, editor):
    _idea, (mine, _theirs) = assigned(catalogue, editor)
    client.force_login(mine.assessor)
    knockout = Criterion.objects.filter(catalogue=catalogue, knockout=True).first()
    response = client.post(
        reverse("review:assessment-form", args=[mine.pk]),
        {f"score_{knockout.pk}": "0", "submit": "1"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "Begründung" in response.content.decode()
    assert not Idea.objects.filter(assessment_count__gt=0).exists()


def test_ranking_page_for_editors_only(client, catalogue, editor):
    idea, (first, _second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue, 4), submit=True
    )
    url = reverse("review:ranking", args=[catalogue.call.slug])
    client.force_login(user_with_role("Bewertung"))
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url, {"field": idea.primary_field.slug})
    assert response.status_code == 200
    assert [item.pk for _rank, item in response.context["rows"]] == [idea.pk]
    assert client.get(url, {"field": "mobilitaet"}).context["rows"] == []


def test_frozen_catalogue_cannot_be_edited_in_the_admin(client, catalogue, editor):
    _idea, (first, _second) = assigned(catalogue, editor)
    assessments.assessment_record(
        assignment=first, by=first.assessor, values=full_values(catalogue), submit=True
    )
    client.force_login(editor)
    page = client.get(reverse("admin:review_criteriacatalogue_change", args=[catalogue.pk]))
    assert page.status_code == 200
    assert 'name="criteria-0-weight"' not in page.content.decode()
