"""The criteria catalogue, the assessors' assignments and their assessments, and the result
they give an idea."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from halle_smartcity.city import default_criteria
from ideas.models import Call, Idea, Status

from . import permissions, scoring, selectors
from .models import Assessment, Assignment, CriteriaCatalogue, Criterion, Score


def _require_editor(user) -> None:
    if not permissions.can_triage(user):
        raise PermissionDenied(_("Only editors may do this."))


# --- The criteria catalogue -----------------------------------------------------------------


@transaction.atomic
def catalogue_create_default(
    *, call: Call, threshold: Decimal | None = None, criteria: list[dict] | None = None
) -> CriteriaCatalogue:
    """Give a call the city's default catalogue (its folder's catalogue.yaml, or `criteria`
    as a folder being loaded names them), unless it has one (for data loaders)."""
    existing = call.catalogues.order_by("-version").first()
    if existing is not None:
        return existing
    default_threshold, default = default_criteria()
    criteria = default if criteria is None else criteria
    threshold = None if threshold is None else Decimal(str(threshold))
    catalogue = CriteriaCatalogue.objects.create(
        call=call, version=1, threshold=default_threshold if threshold is None else threshold
    )
    Criterion.objects.bulk_create(
        Criterion(
            catalogue=catalogue,
            code=str(item.get("code", "")),
            name=str(item.get("name", "")),
            description=str(item.get("description", "")),
            weight=Decimal(str(item.get("weight", 0))),
            knockout=bool(item.get("knockout", False)),
            order=order,
            scale_min=0,
            scale_max=1 if item.get("knockout") else 5,
        )
        for order, item in enumerate(criteria)
    )
    audit_write(action="review.catalogue.created", by=None, subject=catalogue, version=1)
    return catalogue


def catalogue_errors(criteria: list[Criterion]) -> list[str]:
    """What makes a catalogue unusable: the weights of scored criteria must add up to 100 %."""
    total = sum((criterion.weight for criterion in criteria if not criterion.knockout), Decimal(0))
    if criteria and total != Decimal(100):
        return [_("The weights add up to %(total)s %% instead of 100 %%.") % {"total": total}]
    return []


@transaction.atomic
def catalogue_save(
    *,
    catalogue: CriteriaCatalogue,
    by,
    criteria: list[Criterion] = (),
    deleted: list[Criterion] = (),
) -> list[str]:
    """Create or change a catalogue version with its criteria. A new catalogue gets the
    call's next version number. Returns what still makes it unusable (weights).

    Raises PermissionDenied (not an editor) or ValidationError (the version is frozen:
    assessments use it; make a new version instead)."""
    _require_editor(by)
    created = catalogue.pk is None
    before = None
    if not created:
        before = CriteriaCatalogue.objects.select_for_update().get(pk=catalogue.pk)
        if catalogue.is_frozen:
            raise ValidationError(
                _("This version is used by assessments. Make a new version to change it.")
            )
    else:
        Call.objects.select_for_update().get(pk=catalogue.call_id)
        latest = catalogue.call.catalogues.order_by("-version").first()
        catalogue.version = latest.version + 1 if latest else 1
    catalogue.full_clean()
    catalogue.save()
    for criterion in criteria:
        criterion.catalogue = catalogue
        criterion.full_clean()
        criterion.save()
    for criterion in deleted:
        if criterion.pk and criterion.catalogue_id == catalogue.pk:
            criterion.delete()
    changed = before is None or before.threshold != catalogue.threshold or criteria or deleted
    if changed:
        audit_write(
            action="review.catalogue.created" if created else "review.catalogue.changed",
            by=by,
            subject=catalogue,
            version=catalogue.version,
            criteria=len(criteria),
            removed=len(deleted),
        )
    return catalogue_errors(list(catalogue.criteria.all()))


@transaction.atomic
def catalogue_new_version(*, catalogue: CriteriaCatalogue, by) -> CriteriaCatalogue:
    """Copy a (frozen) catalogue into a new, editable version; scores stay with the old."""
    _require_editor(by)
    Call.objects.select_for_update().get(pk=catalogue.call_id)
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
    audit_write(
        action="review.catalogue.versioned",
        by=by,
        subject=copy,
        old=catalogue.version,
        new=copy.version,
    )
    return copy


# --- Assignments and assessments ------------------------------------------------------------


@transaction.atomic
def assessors_assign(*, ideas, assessors, by) -> int:
    """Ask assessors to assess ideas (those already asked are skipped)."""
    _require_editor(by)
    created = 0
    for assessor in assessors:
        if not permissions.can_be_assigned(assessor):
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
                audit_write(
                    action="review.idea.assessor_assigned",
                    by=by,
                    subject=idea,
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
    audit_write(action="review.idea.assessor_recused", by=by, subject=assignment.idea)
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
    if not permissions.can_assess(by, assignment):
        if assignment.assessor_id == by.pk and assignment.recused_at:
            raise PermissionDenied(_("You have recused yourself from this idea."))
        raise PermissionDenied(_("This idea is not assigned to you."))
    idea = assignment.idea
    if idea.status in (Status.DRAFT, Status.DUPLICATE, Status.NOT_PURSUED):
        raise PermissionDenied(_("This idea is not under assessment."))
    existing = Assessment.objects.filter(assignment=assignment).first()
    catalogue = selectors.catalogue_current(idea.call)
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
    for criterion, rule in zip(criteria, selectors.rules_of(catalogue), strict=True):
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
    audit_write(
        action="review.assessment.submitted" if first_submit else "review.assessment.saved",
        by=by,
        subject=idea,
        catalogue=catalogue.version,
    )
    if assessment.submitted_at:
        idea_result_refresh(idea=idea)
    return assessment


def idea_result_refresh(*, idea: Idea) -> scoring.Result:
    """Recompute an idea's result from its submitted, not recused assessments (in the
    caller's transaction, which holds the idea's row)."""
    assessments = (
        Assessment.objects.filter(
            assignment__idea=idea, submitted_at__isnull=False, assignment__recused_at__isnull=True
        )
        .select_related("catalogue")
        .prefetch_related("scores")
    )
    catalogue = selectors.catalogue_current(idea.call)
    by_catalogue = [a for a in assessments if catalogue and a.catalogue_id == catalogue.pk]
    rules = selectors.rules_of(catalogue) if catalogue else []
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
