"""The editors' triage: the status workflow with its audit log, sorting, staff edits, public
feedback, duplicates and the entry of ideas that came on paper. Every status change after
submission goes through `idea_transition`; the transition graph is `review.workflow`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from events.services import idea_receipt_record
from ideas import intake
from ideas.models import Call, Idea, Status
from ideas.services import IdeaData, images_delete

from . import notices, permissions, selectors, workflow


def _require_editor(user) -> None:
    if not permissions.can_triage(user):
        raise PermissionDenied(_("Only editors may do this."))


def idea_lock(idea: Idea, expected_version: int | None = None) -> Idea:
    """The idea's row, locked for the caller's transaction. With `expected_version`, refuses
    (ValidationError) when someone else saved in between: no lost update."""
    current = Idea.objects.select_for_update().select_related("call").get(pk=idea.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else has changed this idea in the meantime. Please reload it and "
                "check the changes before you save again."
            )
        )
    return current


@transaction.atomic
def idea_transition(
    *,
    idea: Idea,
    to: str,
    by,
    reason: str,
    expected_version: int | None = None,
    via: str | None = None,
    details: dict | None = None,
) -> Idea:
    """Move an idea to another status, if the workflow allows it, with a reason; writes the
    audit entry and tells the author. `via` names the dedicated service that may reach a
    special status (workflow.SPECIAL), `details` what it adds to the audit entry.

    Raises PermissionDenied (not an editor) or ValidationError (transition not allowed,
    no reason, a knock-out failed or the score is below the threshold when qualifying,
    changed meanwhile).
    """
    _require_editor(by)
    idea = idea_lock(idea, expected_version)
    old = idea.status
    if old == to:
        return idea
    if not workflow.transition_allowed(old, to):
        raise ValidationError(
            _("An idea cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(to).label}
        )
    if to in workflow.SPECIAL and via != workflow.SPECIAL[to]:
        raise ValidationError(_("Use the dedicated action for this status."))
    if not reason.strip():
        raise ValidationError(_("Please give a reason for the change of status."))
    if (
        to == Status.QUALIFIED
        and via != workflow.VIA_MEASURE
        and not selectors.idea_qualifies(idea)
    ):
        raise ValidationError(
            _(
                "This idea does not qualify: it is not assessed yet, fails a knock-out "
                "criterion or stays below the threshold."
            )
        )
    data = dict(details or {})
    if old == Status.DUPLICATE and idea.duplicate_of_id:
        data["original"] = idea.duplicate_of.reference
        idea.duplicate_of = None
    idea.status = to
    idea.version += 1
    idea.save(update_fields=["status", "version", "duplicate_of", "updated_at"])
    audit_write(
        action="review.idea.status_changed",
        by=by,
        subject=idea,
        old=old,
        new=to,
        reason=reason.strip(),
        **data,
    )
    notices.notice_idea_status_changed(idea=idea, old_status=old, new_status=to)
    return idea


def ideas_transition(*, ideas: QuerySet[Idea], to: str, by, reason: str) -> tuple[int, list]:
    """The bulk action: each idea in its own transaction, each with its audit entry.
    Returns how many changed and the refused ones with their reason."""
    _require_editor(by)
    changed, refused = 0, []
    for idea in ideas:
        try:
            before = idea.status
            after = idea_transition(idea=idea, to=to, by=by, reason=reason)
            changed += after.status != before
        except ValidationError as error:
            refused.append((idea, " ".join(error.messages)))
    return changed, refused


@transaction.atomic
def idea_set_primary_field(*, idea: Idea, field, by) -> Idea:
    """Sort an idea into an action field (its primary one); the field joins its fields."""
    _require_editor(by)
    idea = idea_lock(idea)
    old = idea.primary_field
    if old == field:
        return idea
    idea.primary_field = field
    idea.version += 1
    idea.save(update_fields=["primary_field", "version", "updated_at"])
    idea.action_fields.add(field)
    audit_write(
        action="review.idea.primary_field_changed",
        by=by,
        subject=idea,
        old=old.name if old else None,
        new=field.name,
    )
    return idea


@transaction.atomic
def idea_edit_by_staff(*, idea: Idea, by, changes: dict, expected_version: int | None) -> Idea:
    """Save staff edits of an idea's texts and place with an audit entry naming the fields;
    refused if someone else saved in between (no lost update)."""
    _require_editor(by)
    current = idea_lock(idea, expected_version)
    changed = []
    for name, value in changes.items():
        if getattr(current, name) != value:
            changed.append(name)
            setattr(current, name, value)
    if changed:
        current.version += 1
        # Validate what changed (and the constraints), not fields nobody touched: an old row
        # that a later validator would refuse must stay editable.
        untouched = [field.name for field in Idea._meta.fields if field.name not in changed]
        current.full_clean(exclude=[*untouched, "action_fields", "quarters"])
        current.save()
        audit_write(action="review.idea.edited", by=by, subject=current, fields=sorted(changed))
    return current


@transaction.atomic
def idea_sorting_set(*, idea: Idea, action_fields, quarters, by) -> Idea:
    """Set an idea's action fields and quarters as the editors sort it; its primary field
    always stays one of its fields."""
    _require_editor(by)
    idea = idea_lock(idea)
    wanted_fields, wanted_quarters = set(action_fields), set(quarters)
    if idea.primary_field is not None:
        wanted_fields.add(idea.primary_field)
    if wanted_fields == set(idea.action_fields.all()) and wanted_quarters == set(
        idea.quarters.all()
    ):
        return idea
    idea.action_fields.set(wanted_fields)
    idea.quarters.set(wanted_quarters)
    idea.version += 1
    idea.save(update_fields=["version", "updated_at"])
    audit_write(
        action="review.idea.sorting_changed",
        by=by,
        subject=idea,
        fields=sorted(field.name for field in wanted_fields),
        quarters=sorted(quarter.name for quarter in wanted_quarters),
    )
    return idea


@transaction.atomic
def idea_images_edit(*, idea: Idea, images: list, deleted: list, by) -> Idea:
    """Save the editors' changes to an idea's images (their descriptions for screen readers
    and their order) and remove images they deleted (files after the commit)."""
    _require_editor(by)
    idea = idea_lock(idea)
    for image in images:
        if image.idea_id != idea.pk:
            raise ValidationError(_("This image belongs to another idea."))
        image.full_clean()
        image.save(update_fields=["alt_text", "order"])
    removed = [image for image in deleted if image.idea_id == idea.pk]
    images_delete(images=removed)
    if images or removed:
        audit_write(
            action="review.idea.images_edited",
            by=by,
            subject=idea,
            changed=len(images),
            removed=len(removed),
        )
    return idea


# --- Feedback -------------------------------------------------------------------------------


@transaction.atomic
def idea_feedback_set(
    *, idea: Idea, text: str, by, publish: bool = False, expected_version: int | None = None
) -> Idea:
    """Write (and optionally publish) the city's feedback on an idea. Unpublished feedback
    stays internal until published, alone or with all of its call's."""
    _require_editor(by)
    idea = idea_lock(idea, expected_version)
    idea.feedback = text.strip()
    if not idea.feedback:
        idea.feedback_published_at = None
    now = timezone.now()
    newly_public = publish and idea.feedback and idea.feedback_published_at is None
    if newly_public:
        idea.feedback_published_at = now
    idea.version += 1
    idea.save(update_fields=["feedback", "feedback_published_at", "version", "updated_at"])
    audit_write(
        action="review.idea.feedback_set", by=by, subject=idea, published=bool(newly_public)
    )
    if newly_public:
        notices.notice_feedback_published(idea=idea, at=now)
    return idea


def call_feedback_publish(*, call: Call, by) -> int:
    """Publish every held-back feedback of a call at once; each author is told."""
    _require_editor(by)
    count = 0
    held = call.ideas.exclude(feedback="").filter(feedback_published_at__isnull=True)
    for idea in held:
        with transaction.atomic():
            idea_feedback_set(idea=idea, text=idea.feedback, by=by, publish=True)
            count += 1
    with transaction.atomic():
        audit_write(action="review.call.feedback_published", by=by, subject=call, count=count)
    return count


# --- Duplicates -----------------------------------------------------------------------------


@transaction.atomic
def idea_mark_duplicate(*, idea: Idea, original: Idea, by, reason: str) -> Idea:
    """Mark an idea as a duplicate of another one. Both texts stay; both authors are told;
    the duplicate's public page points to the original."""
    _require_editor(by)
    if original.pk == idea.pk or original.duplicate_of_id == idea.pk:
        raise ValidationError(_("An idea cannot be a duplicate of itself."))
    if original.call_id != idea.call_id or not original.is_public:
        raise ValidationError(_("The original must be a published idea of the same call."))
    locked = idea_lock(idea)
    if locked.status == Status.DUPLICATE:
        raise ValidationError(
            _("This idea is already marked as a duplicate. Move it back to “screened” first.")
        )
    locked.duplicate_of = original
    locked.save(update_fields=["duplicate_of"])
    idea = idea_transition(
        idea=locked,
        to=Status.DUPLICATE,
        by=by,
        reason=reason,
        via=workflow.VIA_DUPLICATE,
        details={"original": original.reference},
    )
    notices.notice_duplicate_linked(idea=idea, original=original, at=timezone.now())
    return idea


# --- Analog intake --------------------------------------------------------------------------


@transaction.atomic
def idea_intake(*, call: Call, by, data: IdeaData, arrival: intake.Arrival, event=None) -> Idea:
    """Enter an idea that arrived on paper, by post, by phone or at an event (see
    ideas.intake.idea_intake). An idea handed in at an event is recorded with the event
    (events app) in the same transaction.

    Raises PermissionDenied or ValidationError as ideas.intake.idea_intake does."""
    idea = intake.idea_intake(call=call, by=by, data=data, arrival=arrival)
    if event is not None:
        idea_receipt_record(idea=idea, event=event, by=by)
    return idea
