"""Staff triage: the status workflow with its audit log, public feedback, duplicates,
measures and ideas that arrive on paper. Every status change goes through `idea_transition`."""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from pages.selectors import privacy_notice_version

from . import notices
from .models import AuditEntry, Call, Channel, Idea, Measure, Status
from .services import (
    IDEA_DATA_FIELDS,
    IdeaData,
    _reference_next,
    idea_location_errors,
    idea_missing,
)

# Which status may follow which. Moving back is allowed where staff correct a decision.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.SCREENED, Status.DUPLICATE, Status.NOT_PURSUED},
    Status.SCREENED: {Status.IN_QUALIFICATION, Status.POOL, Status.NOT_PURSUED, Status.DUPLICATE},
    Status.IN_QUALIFICATION: {Status.QUALIFIED, Status.POOL, Status.NOT_PURSUED, Status.DUPLICATE},
    Status.QUALIFIED: {
        Status.IN_MEASURE,
        Status.IN_QUALIFICATION,
        Status.POOL,
        Status.NOT_PURSUED,
    },
    Status.IN_MEASURE: {Status.QUALIFIED},
    Status.POOL: {Status.SCREENED, Status.IN_QUALIFICATION, Status.NOT_PURSUED},
    Status.NOT_PURSUED: {Status.SCREENED},
    Status.DUPLICATE: {Status.SCREENED},
}
# Reached only through their own service, which records what belongs to them.
SPECIAL = {Status.DUPLICATE: "idea_mark_duplicate", Status.IN_MEASURE: "measure_add_ideas"}


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())


def is_editor(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(Role.EDITOR))
    )


def _require_editor(user) -> None:
    if not is_editor(user):
        raise PermissionDenied(_("Only editors may do this."))


def audit(
    *, action: str, by, idea: Idea | None = None, call: Call | None = None, **data
) -> AuditEntry:
    """Append an entry to the audit log (in the caller's transaction)."""
    return AuditEntry.objects.create(
        action=action,
        actor=by if getattr(by, "pk", None) else None,
        idea=idea,
        call=call or (idea.call if idea else None),
        data=data,
    )


def _locked(idea: Idea, expected_version: int | None) -> Idea:
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
    _via: str | None = None,
    _data: dict | None = None,
) -> Idea:
    """Move an idea to another status, if the workflow allows it, with a reason; writes the
    audit entry and tells the author.

    Raises PermissionDenied (not an editor) or ValidationError (transition not allowed,
    no reason, a knock-out failed or the score is below the threshold when qualifying,
    changed meanwhile).
    """
    _require_editor(by)
    idea = _locked(idea, expected_version)
    old = idea.status
    if old == to:
        return idea
    if not transition_allowed(old, to):
        raise ValidationError(
            _("An idea cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(to).label}
        )
    if to in SPECIAL and _via != SPECIAL[to]:
        raise ValidationError(_("Use the dedicated action for this status."))
    if not reason.strip():
        raise ValidationError(_("Please give a reason for the change of status."))
    if to == Status.QUALIFIED and not idea.qualifies and _via != "measure_remove_ideas":
        raise ValidationError(
            _(
                "This idea does not qualify: it is not assessed yet, fails a knock-out "
                "criterion or stays below the threshold."
            )
        )
    data = dict(_data or {})
    if old == Status.DUPLICATE and idea.duplicate_of_id:
        data["original"] = idea.duplicate_of.reference
        idea.duplicate_of = None
    idea.status = to
    idea.version += 1
    idea.save(update_fields=["status", "version", "duplicate_of", "updated_at"])
    now = timezone.now()
    audit(
        action="ideas.idea.status_changed",
        by=by,
        idea=idea,
        old=old,
        new=to,
        reason=reason.strip(),
        **data,
    )
    notices.notice_idea_status_changed(idea=idea, old_status=old, new_status=to, at=now)
    return idea


def ideas_transition(*, ideas: QuerySet[Idea], to: str, by, reason: str) -> tuple[int, list]:
    """The bulk action: each idea in its own transaction, each with its audit entry.
    Returns how many changed and the refused ones with their reason."""
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
    idea = _locked(idea, None)
    old = idea.primary_field
    if old == field:
        return idea
    idea.primary_field = field
    idea.version += 1
    idea.save(update_fields=["primary_field", "version", "updated_at"])
    idea.action_fields.add(field)
    audit(
        action="ideas.idea.primary_field_changed",
        by=by,
        idea=idea,
        old=old.slug if old else None,
        new=field.slug,
    )
    return idea


@transaction.atomic
def idea_edit_by_staff(*, idea: Idea, by, changes: dict, expected_version: int | None) -> Idea:
    """Save staff edits of an idea's texts or sorting with an audit entry naming the fields;
    refused if someone else saved in between (no lost update)."""
    _require_editor(by)
    current = _locked(idea, expected_version)
    changed = {}
    for name, value in changes.items():
        if getattr(current, name) != value:
            changed[name] = str(value)[:200]
            setattr(current, name, value)
    if changed:
        current.version += 1
        current.save()
        audit(action="ideas.idea.edited", by=by, idea=current, fields=sorted(changed))
    return current


# --- Feedback -------------------------------------------------------------------------------


@transaction.atomic
def idea_feedback_set(
    *, idea: Idea, text: str, by, publish: bool = False, expected_version: int | None = None
) -> Idea:
    """Write (and optionally publish) the city's feedback on an idea. Unpublished feedback
    stays internal until published, alone or with all of its call's."""
    _require_editor(by)
    idea = _locked(idea, expected_version)
    idea.feedback = text.strip()
    if not idea.feedback:
        idea.feedback_published_at = None
    now = timezone.now()
    newly_public = publish and idea.feedback and idea.feedback_published_at is None
    if newly_public:
        idea.feedback_published_at = now
    idea.version += 1
    idea.save(update_fields=["feedback", "feedback_published_at", "version", "updated_at"])
    audit(action="ideas.idea.feedback_set", by=by, idea=idea, published=bool(newly_public))
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
        audit(action="ideas.call.feedback_published", by=by, call=call, count=count)
    return count


# --- Duplicates -----------------------------------------------------------------------------


WORD = re.compile(r"\w{3,}", re.UNICODE)


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


def similar_ideas(*, idea: Idea, limit: int = 5) -> list[tuple[Idea, float]]:
    """Ideas of the same call that read alike: trigram similarity on PostgreSQL, word
    overlap elsewhere."""
    candidates = Idea.objects.published().filter(call=idea.call).exclude(pk=idea.pk)
    text = f"{idea.title} {idea.summary}"
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models import TextField, Value
        from django.db.models.functions import Concat

        rows = (
            candidates.annotate(
                similarity=TrigramSimilarity(
                    Concat("title", Value(" "), "summary", output_field=TextField()), text
                )
            )
            .filter(similarity__gt=0.15)
            .order_by("-similarity")[:limit]
        )
        return [(row, float(row.similarity)) for row in rows]
    words = _words(text)
    scored = []
    for other in candidates.only("id", "title", "summary", "reference")[:2000]:
        other_words = _words(f"{other.title} {other.summary}")
        union = words | other_words
        if union:
            similarity = len(words & other_words) / len(union)
            if similarity > 0.15:
                scored.append((other, similarity))
    scored.sort(key=lambda row: -row[1])
    return scored[:limit]


@transaction.atomic
def idea_mark_duplicate(*, idea: Idea, original: Idea, by, reason: str) -> Idea:
    """Mark an idea as a duplicate of another one. Both texts stay; both authors are told;
    the duplicate's public page points to the original."""
    if original.pk == idea.pk or original.duplicate_of_id == idea.pk:
        raise ValidationError(_("An idea cannot be a duplicate of itself."))

    if original.call_id != idea.call_id or not original.is_public:
        raise ValidationError(_("The original must be a published idea of the same call."))
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
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
        _via="idea_mark_duplicate",
        _data={"original": original.reference},
    )
    notices.notice_duplicate_linked(idea=idea, original=original, at=timezone.now())
    return idea


# --- Measures -------------------------------------------------------------------------------


@transaction.atomic
def measure_add_ideas(*, measure: Measure, ideas, by, reason: str = "") -> int:
    """Bundle qualified ideas into a measure; they move on to “part of a measure”."""
    _require_editor(by)
    added = 0
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
                _via="measure_add_ideas",
                _data={"measure": measure.slug},
            )
        added += 1
    audit(
        action="ideas.measure.ideas_added",
        by=by,
        call=measure.call,
        measure=measure.slug,
        ideas=[idea.reference for idea in ideas],
    )
    return added


@transaction.atomic
def measure_remove_ideas(*, measure: Measure, ideas, by) -> int:
    """Take ideas out of a measure; those in no other measure are qualified again."""
    _require_editor(by)
    removed = 0
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
                _via="measure_remove_ideas",
            )
    audit(
        action="ideas.measure.ideas_removed",
        by=by,
        call=measure.call,
        measure=measure.slug,
        ideas=[idea.reference for idea in ideas],
    )
    return removed


# --- Analog intake --------------------------------------------------------------------------


@transaction.atomic
def idea_intake(
    *,
    call: Call,
    by,
    data: IdeaData,
    channel: str,
    received_on: date,
    paper_consent: bool,
    author=None,
    submitter_name: str = "",
    submitter_email: str = "",
    submitter_phone: str = "",
    submitter_address: str = "",
    event=None,
) -> Idea:
    """Enter an idea that arrived on paper, by post, by phone or at an event. From then on
    it is an idea like any other: submitted, with a reference number.

    Raises ValidationError if it is incomplete, arrived after the deadline or lacks the
    submitter's consent.
    """
    _require_editor(by)
    if channel == Channel.ONLINE:
        raise ValidationError({"channel": _("Choose how the idea arrived.")})
    if not paper_consent:
        raise ValidationError(
            {"paper_consent": _("Without the submitter's consent the idea cannot be entered.")}
        )
    if received_on > timezone.localdate(call.deadline):
        raise ValidationError({"received_on": _("The idea arrived after the deadline.")})
    missing = idea_missing(data, consent_recorded=True)
    missing.update(idea_location_errors(latitude=data.latitude, longitude=data.longitude))
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    idea = Idea(
        call=call,
        author=author,
        channel=channel,
        received_on=received_on,
        entered_by=by,
        paper_consent=True,
        consent_at=now,
        consent_version=privacy_notice_version(),
        submitter_name=submitter_name,
        submitter_email=submitter_email,
        submitter_phone=submitter_phone,
        submitter_address=submitter_address,
        status=Status.SUBMITTED,
        submitted_at=now,
        reference=_reference_next(call),
        **{name: getattr(data, name) for name in IDEA_DATA_FIELDS},
    )
    idea.event = event
    idea.full_clean(exclude=["action_fields", "quarters"])
    idea.save()
    idea.action_fields.set(data.action_fields)
    idea.quarters.set(data.quarters)
    audit(
        action="ideas.idea.entered",
        by=by,
        idea=idea,
        channel=channel,
        received_on=received_on.isoformat(),
    )
    if author is not None:
        notices.notice_submission_confirmation(idea=idea)
    return idea
