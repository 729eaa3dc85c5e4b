"""Every change to calls and ideas goes through these functions: calls and their deadlines,
drafts, submission and the authors' own edits. Ideas handed in on paper are entered by
`ideas.intake`; what happens to an idea after submission is the `review` app's."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_write
from fields.models import ActionField, Quarter
from halle_smartcity.city import map_settings
from pages.selectors import privacy_notice_version

from . import notices, permissions, similarity_search
from .images import ProcessedImage
from .models import Call, CallExtension, Idea, IdeaImage, ReferenceSequence, Status

logger = logging.getLogger(__name__)

MAX_FIELDS = 4


@dataclass
class IdeaData:
    """What a citizen writes; every text may be empty while the idea is a draft."""

    title: str
    summary: str = ""
    description: str = ""
    problem: str = ""
    benefit: str = ""
    target_groups: str = ""
    action_fields: list[ActionField] = field(default_factory=list)
    primary_field: ActionField | None = None
    quarters: list[Quarter] = field(default_factory=list)
    whole_city: bool = False
    wants_workshop: bool = False
    consent: bool = False
    # Where the idea would take effect: both or neither, inside the city's bounding box.
    latitude: Decimal | None = None
    longitude: Decimal | None = None


TEXT_FIELDS = ("title", "summary", "description", "problem", "benefit", "target_groups")
# The plain (non-relation) fields of IdeaData that are copied onto an Idea.
IDEA_DATA_FIELDS = (
    *TEXT_FIELDS,
    "primary_field",
    "whole_city",
    "wants_workshop",
    "latitude",
    "longitude",
)


def idea_data_from_cleaned(cleaned: dict, *, consent: bool) -> IdeaData:
    """IdeaData from a form's cleaned data (missing or invalid fields left empty)."""
    return IdeaData(
        **{name: cleaned.get(name, "") or "" for name in TEXT_FIELDS},
        action_fields=list(cleaned.get("action_fields") or []),
        primary_field=cleaned.get("primary_field"),
        quarters=list(cleaned.get("quarters") or []),
        whole_city=bool(cleaned.get("whole_city")),
        wants_workshop=bool(cleaned.get("wants_workshop")),
        consent=consent,
        latitude=cleaned.get("latitude"),
        longitude=cleaned.get("longitude"),
    )


# --- Pure rules ---------------------------------------------------------------------------


def idea_field_errors(*, action_fields: list, primary_field) -> dict[str, str]:
    """Rules on action fields that hold for drafts too."""
    errors = {}
    if len(action_fields) > MAX_FIELDS:
        errors["action_fields"] = _("Choose at most %(count)d action fields.") % {
            "count": MAX_FIELDS
        }
    if primary_field is not None and action_fields and primary_field not in action_fields:
        errors["primary_field"] = _("The primary action field must be one of the chosen fields.")
    return errors


def idea_location_errors(*, latitude, longitude) -> dict[str, str]:
    """Rules on an idea's location: both coordinates or neither, inside the city's bounding
    box (the city's map bounds: west, south, east, north)."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        name = "latitude" if latitude is None else "longitude"
        return {name: _("Please enter both latitude and longitude, or neither.")}
    west, south, east, north = map_settings()["bounds"]
    if not (south <= latitude <= north and west <= longitude <= east):
        return {"latitude": _("The place lies outside the city area.")}
    return {}


def idea_missing(data: IdeaData, *, consent_recorded: bool = False) -> dict[str, str]:
    """What an idea still lacks before it can be submitted, by form field."""
    missing = {}
    required_texts = {
        "title": _("Please give your idea a title."),
        "summary": _("Please summarise your idea in a few sentences."),
        "description": _("Please describe your idea."),
        "problem": _("Please describe the problem your idea addresses."),
        "benefit": _("Please describe the benefit and goals of your idea."),
    }
    for name, message in required_texts.items():
        if not getattr(data, name).strip():
            missing[name] = message
    if not data.action_fields:
        missing["action_fields"] = _("Choose at least one action field.")
    if data.primary_field is None:
        missing["primary_field"] = _("Choose the primary action field.")
    if not data.quarters and not data.whole_city:
        missing["quarters"] = _("Choose at least one quarter, or “whole city”.")
    if not (data.consent or consent_recorded):
        missing["consent"] = _("Please agree to the privacy notice to submit your idea.")
    missing.update(
        idea_field_errors(action_fields=data.action_fields, primary_field=data.primary_field)
    )
    return missing


def idea_data_from(idea: Idea) -> IdeaData:
    return IdeaData(
        title=idea.title,
        summary=idea.summary,
        description=idea.description,
        problem=idea.problem,
        benefit=idea.benefit,
        target_groups=idea.target_groups,
        action_fields=list(idea.action_fields.all()),
        primary_field=idea.primary_field,
        quarters=list(idea.quarters.all()),
        whole_city=idea.whole_city,
        wants_workshop=idea.wants_workshop,
        consent=idea.consent_at is not None,
        latitude=idea.latitude,
        longitude=idea.longitude,
    )


# --- Calls --------------------------------------------------------------------------------


CALL_AUDITED = ("title", "slug", "opens_at", "closes_at", "published", "reference_prefix")


@transaction.atomic
def call_save(*, call: Call, by=None) -> Call:
    """Create or update a call; its current deadline follows `closes_at` and the extensions.
    Writes an audit entry naming what changed (publishing, dates, title). `by` is None for
    data loaded by a command.

    Raises PermissionDenied when `by` may not manage calls, ValidationError for broken rules.
    """
    if by is not None and not permissions.can_manage_calls(by):
        raise PermissionDenied(_("Only editors may change calls."))
    before = Call.objects.filter(pk=call.pk).first() if call.pk else None
    latest = call.extensions.order_by("-new_deadline").first() if call.pk else None
    call.deadline = max(call.closes_at, latest.new_deadline) if latest else call.closes_at
    call.full_clean(exclude=["deadline"])
    call.save()
    if before is None:
        audit_write(action="ideas.call.created", by=by, subject=call, published=call.published)
    else:
        changed = [name for name in CALL_AUDITED if getattr(before, name) != getattr(call, name)]
        if changed:
            audit_write(
                action="ideas.call.changed",
                by=by,
                subject=call,
                fields=changed,
                published=call.published,
            )
    return call


def call_extension_errors(
    *, current_deadline: datetime, new_deadline: datetime, reason: str, now: datetime
) -> dict[str, str]:
    """What is wrong with a proposed extension (a pure rule, no database)."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Please give a reason for the extension.")
    if new_deadline <= current_deadline:
        errors["new_deadline"] = _("The new deadline must be later than the current one.")
    elif new_deadline <= now:
        errors["new_deadline"] = _("The new deadline must lie in the future.")
    return errors


@transaction.atomic
def call_extend(*, call: Call, new_deadline: datetime, reason: str, by=None) -> CallExtension:
    """Move a call's deadline later, keeping the old one on record; tells subscribers and
    authors, and writes an audit entry.

    Raises PermissionDenied when `by` may not manage calls, ValidationError for a deadline
    that is not later than the current one or lies in the past, or without a reason.
    """
    if by is not None and not permissions.can_manage_calls(by):
        raise PermissionDenied(_("Only editors may extend a call."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    now = timezone.now()
    errors = call_extension_errors(
        current_deadline=call.deadline, new_deadline=new_deadline, reason=reason, now=now
    )
    if errors:
        raise ValidationError(errors)
    extension = CallExtension.objects.create(
        call=call,
        old_deadline=call.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        created_by=by,
        created_at=now,
    )
    call.deadline = new_deadline
    call.save(update_fields=["deadline"])
    audit_write(
        action="ideas.call.extended",
        by=by,
        subject=call,
        old=extension.old_deadline,
        new=new_deadline,
        reason=extension.reason,
    )
    notices.notice_call_extended(
        call=call,
        old_deadline=extension.old_deadline,
        new_deadline=new_deadline,
        reason=extension.reason,
    )
    return extension


def calls_close(*, now: datetime | None = None) -> int:
    """Record the calls whose deadline passed (in the last two days) as closed: one audit
    entry per call and deadline, with the number of ideas, and the thanks to their authors.
    A call closes by its deadline, not by anyone's action; this makes the moment part of the
    record. Safe to run as often as one likes. Returns how many calls were closed now."""
    now = now or timezone.now()
    closed = 0
    recently = Call.objects.published().filter(
        deadline__lte=now, deadline__gt=now - timedelta(days=2)
    )
    for call in recently:
        with transaction.atomic():
            Call.objects.select_for_update().get(pk=call.pk)
            recorded = AuditEntry.objects.about(call).filter(
                action="ideas.call.closed", data__deadline=call.deadline.isoformat()
            )
            if not recorded.exists():
                audit_write(
                    action="ideas.call.closed",
                    by=None,
                    subject=call,
                    deadline=call.deadline.isoformat(),
                    ideas=call.ideas.published().count(),
                )
                closed += 1
            notices.notice_call_closed(call=call)
    return closed


# --- Ideas --------------------------------------------------------------------------------


def _apply(idea: Idea, data: IdeaData) -> None:
    for name in IDEA_DATA_FIELDS:
        setattr(idea, name, getattr(data, name))
    if data.consent and idea.consent_at is None:
        idea.consent_at = timezone.now()
        idea.consent_version = privacy_notice_version()


def images_delete(*, images) -> None:
    """Delete image rows now and their files after the commit: a rolled-back change keeps
    both, a committed one leaves no file behind that could still be reached."""
    names = []
    for image in images:
        names += [
            (image.image.storage, image.image.name),
            (image.thumbnail.storage, image.thumbnail.name),
            (image.thumbnail_small.storage, image.thumbnail_small.name),
        ]
        image.delete()

    transaction.on_commit(lambda: files_delete(names))


def files_delete(files) -> None:
    """Delete stored files, (storage, name) pairs. A file the store cannot delete now is
    logged with its name and does not stop the others: the change it belongs to is done."""
    for storage, name in files:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # any backend's failure: OSError, botocore's errors
            logger.error(
                "Could not delete the stored file %s: delete it by hand.", name, exc_info=True
            )


def thumbnails_enqueue(image_id: int) -> None:
    """Queue an image's thumbnails (ideas/thumbnails.py)."""
    from .thumbnails import thumbnails_enqueue as enqueue  # it builds on this module

    enqueue(image_id)


def _images_change(
    idea: Idea, *, add: list[ProcessedImage], remove_ids: list[int], written: list
) -> None:
    if remove_ids:
        images_delete(images=idea.images.filter(pk__in=remove_ids))
    kept = idea.images.count()
    if kept + len(add) > settings.MITMACHEN_MAX_IMAGES:
        raise ValidationError(
            {
                "images": _("An idea can have at most %(count)d images.")
                % {"count": settings.MITMACHEN_MAX_IMAGES}
            }
        )
    for order, processed in enumerate(add, start=kept):
        image = IdeaImage(idea=idea, order=order, width=processed.width, height=processed.height)
        for file, name, content in (
            (image.image, f"image.{processed.extension}", processed.content),
        ):
            try:
                file.save(name, ContentFile(content), save=False)
            except Exception as error:  # any backend's: OSError, botocore's, S3UploadFailedError
                logger.warning("Could not store an image of idea %s", idea.pk, exc_info=True)
                message = _(
                    "Your images could not be stored just now, so the form has not been "
                    "saved. Your text is still here: please try again in a few minutes, or "
                    "save without images."
                )
                raise ValidationError({"images": message}, code="not_stored") from error
            written.append((file.storage, file.name))
        image.save()
        # The thumbnails are made off the request, once the image's row is committed.
        transaction.on_commit(partial(thumbnails_enqueue, image.pk))


def idea_save_draft(
    *,
    call: Call,
    author,
    data: IdeaData,
    idea: Idea | None = None,
    images: list[ProcessedImage] | None = None,
    remove_image_ids: list[int] | None = None,
    form_token: UUID | None = None,
) -> Idea:
    """Create or update an idea as its author. A new idea starts as a draft; a submitted one
    stays submitted. A repeated create with the same form token returns the first idea.

    Raises PermissionDenied when the author may not write (deadline passed, not theirs) and
    ValidationError for broken rules (too many fields or images).
    """
    errors = idea_field_errors(action_fields=data.action_fields, primary_field=data.primary_field)
    errors.update(idea_location_errors(latitude=data.latitude, longitude=data.longitude))
    if errors:
        raise ValidationError(errors)
    if idea is None:
        if not permissions.can_submit_to(author, call):
            raise PermissionDenied(_("This call is not open for ideas."))
        if form_token is not None:
            existing = Idea.objects.filter(form_token=form_token, author=author).first()
            if existing is not None:
                return existing
        idea = Idea(call=call, author=author, form_token=form_token)
    elif not permissions.can_edit_idea(author, idea):
        raise PermissionDenied(_("This idea can no longer be changed."))

    written: list = []  # files this call stores; removed again if the change fails
    try:
        with transaction.atomic():
            before = None
            if idea.pk:
                idea = Idea.objects.select_for_update().get(pk=idea.pk)
                if not permissions.can_edit_idea(author, idea):
                    raise PermissionDenied(_("This idea can no longer be changed."))
                before = idea_data_from(idea)
            _apply(idea, data)
            idea.full_clean(exclude=["call", "author", "status", "action_fields", "quarters"])
            idea.save()
            similarity_search.idea_terms_refresh(idea=idea)
            idea.action_fields.set(data.action_fields)
            idea.quarters.set(data.quarters)
            _images_change(
                idea, add=images or [], remove_ids=remove_image_ids or [], written=written
            )
            if idea.status == Status.SUBMITTED:
                missing = idea_missing(idea_data_from(idea))
                if missing:
                    # A submitted idea must stay complete.
                    raise ValidationError(missing)
                # A public idea changed by its author: the log names what changed.
                changed = _changed_fields(before, idea_data_from(idea))
                if changed or images or remove_image_ids:
                    audit_write(
                        action="ideas.idea.edited_by_author",
                        by=author,
                        subject=idea,
                        fields=changed + (["images"] if images or remove_image_ids else []),
                    )
    except Exception as error:
        files_delete(written)
        if not isinstance(error, IntegrityError) or form_token is None:
            raise
        # The same form sent twice at once: the first request created the idea.
        existing = Idea.objects.filter(form_token=form_token, author=author).first()
        if existing is None:
            raise
        return existing
    return idea


def _changed_fields(before: IdeaData | None, after: IdeaData) -> list[str]:
    if before is None:
        return []
    names = [*IDEA_DATA_FIELDS, "action_fields", "quarters"]
    return [name for name in names if getattr(before, name) != getattr(after, name)]


def reference_next(call: Call) -> str:
    """The next reference number of a call's prefix and year (SC-2022-0042), counted under a
    row lock: call it inside the transaction that stores the idea."""
    key = f"{call.reference_prefix}-{timezone.localtime(call.opens_at).year}"
    ReferenceSequence.objects.get_or_create(key=key)
    sequence = ReferenceSequence.objects.select_for_update().get(key=key)
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return f"{key}-{sequence.last:04d}"


@transaction.atomic
def idea_submit(*, idea: Idea, by) -> Idea:
    """Submit a complete draft while its call is open: gives it a reference number and writes
    the confirmation notice. Submitting an idea twice changes nothing.

    Raises PermissionDenied (not the author, call closed) or ValidationError (incomplete).
    """
    idea = Idea.objects.select_for_update().select_related("call").get(pk=idea.pk)
    if idea.author_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the author can submit this idea."))
    if not idea.is_draft:
        return idea
    if not permissions.can_submit_to(by, idea.call):
        raise PermissionDenied(_("The deadline of this call has passed."))
    missing = idea_missing(idea_data_from(idea))
    if missing:
        raise ValidationError(missing)
    idea.reference = reference_next(idea.call)
    idea.status = Status.SUBMITTED
    idea.submitted_at = timezone.now()
    idea.save(update_fields=["reference", "status", "submitted_at", "updated_at"])
    audit_write(action="ideas.idea.submitted", by=by, subject=idea, reference=idea.reference)
    notices.notice_submission_confirmation(idea=idea)
    return idea


@transaction.atomic
def idea_delete_draft(*, idea: Idea, by) -> None:
    """Delete a draft of one's own; submitted ideas are never deleted this way."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.can_delete_draft(by, idea):
        raise PermissionDenied(_("Only drafts of your own can be deleted."))
    images_delete(images=idea.images.all())
    idea.delete()
