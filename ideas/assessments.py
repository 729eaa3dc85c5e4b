"""The criteria catalogue, assessors' assignments and their assessments."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from . import scoring
from .models import (
    Assessment,
    Assignment,
    Call,
    CriteriaCatalogue,
    Criterion,
    Idea,
    Score,
    Status,
)
from .triage import _require_editor, audit

# Halle's default, from the practice of the Smart City model projects.
HALLE_CRITERIA = [
    (
        "K1",
        "Halle-Bezug & Zeitrahmen",
        "Wird in Halle (Saale) umgesetzt und ist bis Ende 2026 realisierbar.",
        0,
        True,
    ),
    ("K2", "Digitaler Kern", "Digitale Technik ist das Mittel der Lösung.", 0, True),
    (
        "K3",
        "Offenheit",
        "Geförderte Software ist Open Source, Schnittstellen sind offen.",
        0,
        True,
    ),
    ("G1", "Strategiebezug", "Beitrag zu den Zielen der Smart-City-Strategie.", 20, False),
    (
        "G2",
        "Gemeinwohl & Teilhabe",
        "Nutzen für viele, auch für benachteiligte Gruppen.",
        15,
        False,
    ),
    ("G3", "Raum-/Quartiersbezug", "Wirkung in den Stadtteilen und Quartieren.", 10, False),
    (
        "G4",
        "Übertragbarkeit & Innovation",
        "Neu für Halle und von anderen Städten nachnutzbar.",
        15,
        False,
    ),
    ("G5", "Daten & Souveränität", "Offene Daten, Datenschutz und Datensouveränität.", 10, False),
    ("G6", "Umsetzbarkeit", "Realistisch mit den vorhandenen Partnern und Mitteln.", 10, False),
    (
        "G7",
        "Kosten & Verstetigung",
        "Angemessene Kosten und ein Betrieb über die Förderung hinaus.",
        10,
        False,
    ),
    (
        "G8",
        "Wirkung & Nachhaltigkeit",
        "Messbare, dauerhafte Wirkung, ökologisch und sozial.",
        10,
        False,
    ),
]


def rules_of(catalogue: CriteriaCatalogue) -> list[scoring.CriterionRule]:
    return [
        scoring.CriterionRule(
            id=criterion.pk,
            weight=criterion.weight,
            knockout=criterion.knockout,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )
        for criterion in catalogue.criteria.all()
    ]


@transaction.atomic
def catalogue_create_default(
    *, call: Call, threshold: Decimal = Decimal("3.0")
) -> CriteriaCatalogue:
    """Give a call Halle's default catalogue, unless it has one."""
    existing = call.catalogues.order_by("-version").first()
    if existing is not None:
        return existing
    catalogue = CriteriaCatalogue.objects.create(call=call, version=1, threshold=threshold)
    Criterion.objects.bulk_create(
        Criterion(
            catalogue=catalogue,
            code=code,
            name=name,
            description=description,
            weight=Decimal(weight),
            knockout=knockout,
            order=order,
            scale_min=0,
            scale_max=1 if knockout else 5,
        )
        for order, (code, name, description, weight, knockout) in enumerate(HALLE_CRITERIA)
    )
    return catalogue


def catalogue_errors(criteria: list[Criterion]) -> list[str]:
    """What makes a catalogue unusable: the weights of scored criteria must add up to 100 %."""
    total = sum((criterion.weight for criterion in criteria if not criterion.knockout), Decimal(0))
    if criteria and total != Decimal(100):
        return [_("The weights add up to %(total)s %% instead of 100 %%.") % {"total": total}]
    return []


@transaction.atomic
def catalogue_new_version(*, catalogue: CriteriaCatalogue, by) -> CriteriaCatalogue:
    """Copy a (frozen) catalogue into a new, editable version; scores stay with the old."""
    _require_editor(by)
    latest = catalogue.call.catalogues.order_by("-version").first()
    copy = CriteriaCatalogue.objects.create(
        call=catalogue.call, version=latest.version + 1, threshold=catalogue.threshold
    )
    Criterion.objects.bulk_create(
        Criterion(
            catalogue=copy,
            code=c.code,
            name=c.name,
            description=c.description,
            scale_min=c.scale_min,
            scale_max=c.scale_max,
            weight=c.weight,
            knockout=c.knockout,
            order=c.order,
        )
        for c in catalogue.criteria.all()
    )
    audit(
        action="ideas.catalogue.versioned",
        by=by,
        call=catalogue.call,
        old=catalogue.version,
        new=copy.version,
    )
    return copy


def is_assessor(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(Role.ASSESSOR))
    )


@transaction.atomic
def assessors_assign(*, ideas, assessors, by) -> int:
    """Ask assessors to assess ideas (those already asked are skipped)."""
    _require_editor(by)
    created = 0
    for assessor in assessors:
        if not is_assessor(assessor):
            raise ValidationError(
                _("%(name)s is not in the assessors' group.") % {"name": assessor}
            )
    for idea in ideas:
        if idea.is_draft:
            raise ValidationError(_("Drafts cannot be assessed."))
        for assessor in assessors:
            _assignment, new = Assignment.objects.get_or_create(
                idea=idea, assessor=assessor, defaults={"assigned_by": by}
            )
            if new:
                created += 1
                audit(
                    action="ideas.idea.assessor_assigned",
                    by=by,
                    idea=idea,
                    assessor=assessor.public_name,
                )
    return created


@transaction.atomic
def assignment_recuse(*, assignment: Assignment, by, reason: str) -> Assignment:
    """An assessor steps back for a conflict of interest; their scores no longer count."""
    if assignment.assessor_id != by.pk:
        raise PermissionDenied(_("Only the assessor can recuse themselves."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please name the conflict of interest.")})
    Idea.objects.select_for_update().filter(pk=assignment.idea_id).first()
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = reason.strip()
    assignment.save(update_fields=["recused_at", "recusal_reason"])
    audit(action="ideas.idea.assessor_recused", by=by, idea=assignment.idea)
    idea_result_refresh(idea=assignment.idea)
    return assignment


@transaction.atomic
def assessment_record(
    *,
    assignment: Assignment,
    by,
    values: dict[int, tuple[int | None, str]],
    comment: str = "",
    submit: bool = False,
) -> Assessment:
    """Save an assessor's scores (value and reason per criterion id); with `submit` they
    must be complete and then count towards the idea's result.

    Raises PermissionDenied (not their assignment, recused, idea not under assessment) or
    ValidationError {"score_<criterion id>" or "reason_<criterion id>": message} for scores
    missing or out of range or without a needed reason.
    """
    # The idea's row first: concurrent assessments of one idea are counted one after the other.
    Idea.objects.select_for_update().filter(pk=assignment.idea_id).first()
    assignment = (
        Assignment.objects.select_for_update().select_related("idea__call").get(pk=assignment.pk)
    )
    if assignment.assessor_id != by.pk or not is_assessor(by):
        raise PermissionDenied(_("This idea is not assigned to you."))
    if assignment.recused_at:
        raise PermissionDenied(_("You have recused yourself from this idea."))
    idea = assignment.idea
    if idea.status in (Status.DRAFT, Status.DUPLICATE, Status.NOT_PURSUED):
        raise PermissionDenied(_("This idea is not under assessment."))
    existing = Assessment.objects.filter(assignment=assignment).first()
    catalogue = idea.call.current_catalogue
    if existing and catalogue and existing.catalogue_id != catalogue.pk:
        # The catalogue has a new version: scores against the old one no longer apply.
        existing.scores.all().delete()
        existing.catalogue = catalogue
        existing.submitted_at = None
        existing.save(update_fields=["catalogue", "submitted_at"])
    if existing and existing.submitted_at:
        submit = True  # a submitted assessment stays complete
    if catalogue is None:
        raise ValidationError(_("The call has no criteria catalogue yet."))
    criteria = list(catalogue.criteria.all())
    messages = {
        "missing": _("Please give a score."),
        "out_of_range": _("The score is outside the scale."),
        "reason_required": _("Please give a reason for this score."),
    }
    errors = {}
    for criterion, rule in zip(criteria, rules_of(catalogue), strict=True):
        value, reason = values.get(criterion.pk, (None, ""))
        problem = scoring.score_errors(rule, value, reason)
        if problem == "missing" and not submit:
            continue
        if problem:
            field = "reason" if problem == "reason_required" else "score"
            errors[f"{field}_{criterion.pk}"] = messages[problem]
    if errors:
        raise ValidationError(errors)
    assessment, _created = Assessment.objects.get_or_create(
        assignment=assignment, defaults={"catalogue": catalogue}
    )
    assessment.comment = comment.strip()
    first_submit = submit and assessment.submitted_at is None
    if submit:
        assessment.submitted_at = assessment.submitted_at or timezone.now()
    assessment.save()
    for criterion in criteria:
        value, reason = values.get(criterion.pk, (None, ""))
        if value is None:
            Score.objects.filter(assessment=assessment, criterion=criterion).delete()
            continue
        Score.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"value": value, "reason": reason.strip()},
        )
    audit(
        action="ideas.assessment.submitted" if first_submit else "ideas.assessment.saved",
        by=by,
        idea=idea,
        catalogue=catalogue.version,
    )
    if assessment.submitted_at:
        idea_result_refresh(idea=idea)
    return assessment


def idea_result_refresh(*, idea: Idea) -> scoring.Result:
    """Recompute an idea's result from its submitted, not recused assessments."""
    assessments = (
        Assessment.objects.filter(
            assignment__idea=idea, submitted_at__isnull=False, assignment__recused_at__isnull=True
        )
        .select_related("catalogue")
        .prefetch_related("scores")
    )
    catalogue = idea.call.current_catalogue
    by_catalogue = [a for a in assessments if catalogue and a.catalogue_id == catalogue.pk]
    rules = rules_of(catalogue) if catalogue else []
    result = scoring.idea_result(
        rules,
        [{score.criterion_id: score.value for score in a.scores.all()} for a in by_catalogue],
    )
    Idea.objects.filter(pk=idea.pk).update(
        score=result.score,
        knockout_failed=result.knockout_failed,
        assessment_count=result.assessments,
    )
    idea.score, idea.knockout_failed = result.score, result.knockout_failed
    idea.assessment_count = result.assessments
    return result


def idea_criterion_summary(*, idea: Idea) -> list[dict]:
    """Per criterion of the current catalogue: the scores given, their mean, the reasons and
    whether the assessors disagree (for editors and, later, the board)."""
    catalogue = idea.call.current_catalogue
    if catalogue is None:
        return []
    scores = Score.objects.filter(
        assessment__assignment__idea=idea,
        assessment__submitted_at__isnull=False,
        assessment__assignment__recused_at__isnull=True,
        assessment__catalogue=catalogue,
    ).select_related("assessment__assignment__assessor")
    by_criterion: dict[int, list[Score]] = {}
    for score in scores:
        by_criterion.setdefault(score.criterion_id, []).append(score)
    rows = []
    for criterion in catalogue.criteria.all():
        given = by_criterion.get(criterion.pk, [])
        values = [score.value for score in given]
        rows.append(
            {
                "criterion": criterion,
                "values": values,
                "mean": (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))
                if values
                else None,
                "reasons": [score.reason for score in given if score.reason],
                "disagreement": len(values) >= 2 and max(values) - min(values) >= 2,
            }
        )
    return rows
