"""Changes to a measure's profile beyond its own fields: its status through the strategy
with the public update that goes with it, other public updates, milestones and indicators,
and deleting a measure. Each change is checked, audited with its values (the audit log keeps
every version), and the status change tells the source ideas' authors."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write

from . import notices, permissions, strategy
from .models import Indicator, Measure, MeasureStatus, MeasureUpdate, Milestone
from .services import measure_remove_ideas


def _require_editor(user) -> None:
    if not permissions.can_manage_measures(user):
        raise PermissionDenied(_("Only editors may do this."))


@transaction.atomic
def measure_status_change(
    *, measure: Measure, to: str, by, text: str = "", reason: str = ""
) -> MeasureUpdate:
    """Move a measure to status `to` and publish a dated update saying so (`text`, or the
    status's name). A step that is not the next one on the path needs a `reason` (kept in
    the audit log). The authors of its source ideas are told once the measure is public.

    Raises PermissionDenied (not an editor) or ValidationError (an unknown status, the same
    status, a skip without a reason)."""
    _require_editor(by)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if to not in MeasureStatus.values:
        raise ValidationError(_("Unknown status."))
    if to == measure.status:
        raise ValidationError(_("The measure already has this status."))
    reason = reason.strip()
    if not strategy.is_next_step(measure.status, to) and not reason:
        raise ValidationError(
            _(
                "“%(to)s” is not the next step after “%(from)s”: please give a reason for "
                "skipping steps or going back."
            )
            % {"to": MeasureStatus(to).label, "from": MeasureStatus(measure.status).label}
        )
    before, now = measure.status, timezone.now()
    measure.status, measure.status_changed_at = to, now
    measure.save(update_fields=["status", "status_changed_at"])
    update = MeasureUpdate(
        measure=measure, published_at=now, status=to, text=text.strip() or MeasureStatus(to).label
    )
    update.full_clean()
    update.save()
    audit_write(
        action="measures.measure.status_changed",
        by=by,
        subject=measure,
        old=before,
        new=to,
        reason=reason,
    )
    if measure.published and measure.call.published:
        notices.notice_measure_status_changed(measure=measure, status=to, at=now)
    return update


@transaction.atomic
def measure_update_publish(*, measure: Measure, by, text: str) -> MeasureUpdate:
    """Publish a dated news item about a measure without changing its status."""
    _require_editor(by)
    if not text.strip():
        raise ValidationError(_("An update needs a text."))
    update = MeasureUpdate(measure=measure, text=text.strip())
    update.full_clean()
    update.save()
    audit_write(action="measures.update.published", by=by, subject=measure, text=update.text)
    return update


def _rows(objects: Iterable, names: tuple[str, ...]) -> list[dict]:
    return [{name: _plain(getattr(obj, name)) for name in names} for obj in objects]


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


MILESTONE_FIELDS = ("title", "due", "reached_on")
INDICATOR_FIELDS = ("name", "unit", "target", "current")


@transaction.atomic
def _rows_set(*, measure, by, model, names, rows: list[dict], kind: str) -> int:
    _require_editor(by)
    objects = [model(measure=measure, **{name: row.get(name) for name in names}) for row in rows]
    for obj in objects:
        obj.full_clean(exclude=["measure"])
    existing = list(model.objects.filter(measure=measure))
    if _rows(existing, names) == _rows(objects, names):
        return 0
    model.objects.filter(measure=measure).delete()
    model.objects.bulk_create(objects)
    # An f-string, so that the audit descriptions' scan sees the codes it can write.
    audit_write(
        action=f"measures.measure.{kind}_set", by=by, subject=measure, rows=_rows(objects, names)
    )
    return len(objects)


def measure_milestones_set(*, measure: Measure, by, rows: list[dict]) -> int:
    """Replace the measure's timeline by `rows` (title, due, reached_on); the audit entry
    keeps the whole new version. Raises PermissionDenied or ValidationError."""
    return _rows_set(
        measure=measure,
        by=by,
        model=Milestone,
        names=MILESTONE_FIELDS,
        rows=rows,
        kind="milestones",
    )


def measure_indicators_set(*, measure: Measure, by, rows: list[dict]) -> int:
    """Replace the measure's indicators by `rows` (name, unit, target, current: numbers);
    the audit entry keeps the whole new version. Raises PermissionDenied or
    ValidationError (a value that is not a number)."""
    return _rows_set(
        measure=measure,
        by=by,
        model=Indicator,
        names=INDICATOR_FIELDS,
        rows=rows,
        kind="indicators",
    )


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    """Delete a measure that never went public: one with public updates is part of the
    public record and is refused (unpublish it instead). Its ideas go back to "qualified".

    Raises PermissionDenied or ValidationError."""
    _require_editor(by)
    if measure.updates.exists():
        raise ValidationError(
            _("This measure has public updates and cannot be deleted; unpublish it instead.")
        )
    ideas = list(measure.ideas.all())
    if ideas:
        measure_remove_ideas(measure=measure, ideas=ideas, by=by)
    audit_write(action="measures.measure.deleted", by=by, subject=None, title=measure.title)
    measure.delete()
