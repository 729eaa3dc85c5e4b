"""Every change to measures: the measure itself, its action fields and its ideas. Ideas that
join a measure move on to “part of a measure” in the review's workflow, and back to
“qualified” when they leave their last measure."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas.models import Idea, Status
from review import workflow
from review.services import idea_transition

from . import permissions
from .models import Measure, MeasureIdea

# Addresses under /massnahmen/ that are pages of their own (measures/urls.py).
RESERVED_SLUGS = {"anhang"}

MEASURE_AUDITED = (
    "call_id",
    "title",
    "slug",
    "goal",
    "description",
    "lead_department",
    "partners",
    "cost_range",
    "funding",
    "published",
)


def _require_editor(user) -> None:
    if not permissions.can_manage_measures(user):
        raise PermissionDenied(_("Only editors may do this."))


@transaction.atomic
def measure_save(
    *,
    measure: Measure,
    by,
    action_fields: Iterable | None = None,
    quarters: Iterable | None = None,
    ideas: Iterable[Idea] | None = None,
    contributions: dict[int, str] | None = None,
    reason: str = "",
) -> Measure:
    """Create or change a measure; with `action_fields`, `quarters` or `ideas`, set those
    too, with `contributions` (idea pk → text) what each source idea brought in. Ideas
    that join move on to “part of a measure”, ideas that leave and are in no other measure
    go back to “qualified”. Each change is audited with the new values, so the audit log
    keeps every version of the profile.

    Raises PermissionDenied (not an editor) or ValidationError (broken rules, an idea that
    is not qualified)."""
    _require_editor(by)
    if measure.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is taken by the measures' pages.")})
    before = Measure.objects.filter(pk=measure.pk).first() if measure.pk else None
    measure.full_clean(exclude=["action_fields", "ideas"])
    measure.save()
    if before is None:
        audit_write(action="measures.measure.created", by=by, subject=measure)
    else:
        changed = [
            name for name in MEASURE_AUDITED if getattr(before, name) != getattr(measure, name)
        ]
        if changed:
            audit_write(
                action="measures.measure.changed",
                by=by,
                subject=measure,
                fields=changed,
                values={name: getattr(measure, name) for name in changed},
            )
    if action_fields is not None:
        wanted = set(action_fields)
        if wanted != set(measure.action_fields.all()):
            measure.action_fields.set(wanted)
            audit_write(
                action="measures.measure.fields_set",
                by=by,
                subject=measure,
                fields=sorted(field.name for field in wanted),
            )
    if quarters is not None:
        wanted_quarters = set(quarters)
        if wanted_quarters != set(measure.quarters.all()):
            measure.quarters.set(wanted_quarters)
            audit_write(
                action="measures.measure.quarters_set",
                by=by,
                subject=measure,
                quarters=sorted(quarter.name for quarter in wanted_quarters),
            )
    if ideas is not None:
        wanted_ideas = list(ideas)
        current = set(measure.ideas.all())
        new = [idea for idea in wanted_ideas if idea not in current]
        gone = [idea for idea in current if idea not in set(wanted_ideas)]
        if new:
            measure_add_ideas(measure=measure, ideas=new, by=by, reason=reason)
        if gone:
            measure_remove_ideas(measure=measure, ideas=gone, by=by)
    if contributions:
        measure_contributions_set(measure=measure, by=by, contributions=contributions)
    return measure


def measure_contributions_set(*, measure: Measure, by, contributions: dict[int, str]) -> int:
    """Record what each source idea (by pk) contributed; ideas not in the measure are
    ignored. Returns how many texts changed, each audited with its new text."""
    _require_editor(by)
    changed = 0
    for source in MeasureIdea.objects.filter(measure=measure, idea_id__in=list(contributions)):
        text = (contributions[source.idea_id] or "").strip()
        if text == source.contribution:
            continue
        source.contribution = text
        source.full_clean(exclude=["measure", "idea"])
        source.save(update_fields=["contribution"])
        audit_write(
            action="measures.measure.contribution_set",
            by=by,
            subject=measure,
            idea=source.idea.reference,
            text=text,
        )
        changed += 1
    return changed


@transaction.atomic
def measure_add_ideas(*, measure: Measure, ideas, by, reason: str = "") -> int:
    """Bundle qualified ideas into a measure; they move on to “part of a measure”."""
    _require_editor(by)
    added = 0
    ideas = list(ideas)
    for idea in ideas:
        if idea.status not in (Status.QUALIFIED, Status.IN_MEASURE):
            raise ValidationError(
                _("Only qualified ideas can join a measure: %(reference)s is not.")
                % {"reference": idea.reference}
            )
        measure.ideas.add(idea)
        if idea.status == Status.QUALIFIED:
            idea_transition(
                idea=idea,
                to=Status.IN_MEASURE,
                by=by,
                reason=reason
                or _("Bundled into the measure “%(title)s”.") % {"title": measure.title},
                via=workflow.VIA_MEASURE,
                details={"measure": measure.slug},
            )
        added += 1
    audit_write(
        action="measures.measure.ideas_added",
        by=by,
        subject=measure,
        ideas=[idea.reference for idea in ideas],
    )
    return added


@transaction.atomic
def measure_remove_ideas(*, measure: Measure, ideas, by) -> int:
    """Take ideas out of a measure; those in no other measure are qualified again."""
    _require_editor(by)
    removed = 0
    ideas = list(ideas)
    for idea in ideas:
        measure.ideas.remove(idea)
        removed += 1
        idea = Idea.objects.get(pk=idea.pk)
        if idea.status == Status.IN_MEASURE and not idea.measures.exists():
            idea_transition(
                idea=idea,
                to=Status.QUALIFIED,
                by=by,
                reason=_("Removed from the measure “%(title)s”.") % {"title": measure.title},
                via=workflow.VIA_MEASURE,
                details={"measure": measure.slug},
            )
    audit_write(
        action="measures.measure.ideas_removed",
        by=by,
        subject=measure,
        ideas=[idea.reference for idea in ideas],
    )
    return removed
