"""Ideas that arrive on paper, by post, by phone or at an event, entered by the editors.
From then on such an idea is an idea like any other: submitted, with a reference number."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from pages.selectors import privacy_notice_version

from . import notices, permissions
from .models import Call, Channel, Idea, Status
from .services import (
    IDEA_DATA_FIELDS,
    IdeaData,
    idea_location_errors,
    idea_missing,
    reference_next,
)


@dataclass(frozen=True)
class Arrival:
    """How an idea came that did not come through the form, and from whom: the submitter's
    contact data is for the editors alone (and cleared after the retention period)."""

    channel: str
    received_on: date
    paper_consent: bool
    author: object = None  # a citizen's account, if they have one
    submitter_name: str = ""
    submitter_email: str = ""
    submitter_phone: str = ""
    submitter_address: str = ""


@transaction.atomic
def idea_intake(*, call: Call, by, data: IdeaData, arrival: Arrival) -> Idea:
    """Enter an idea that did not come through the form. Writes the audit entry and, for a
    citizen with an account, the submission confirmation. An idea handed in at an event is
    entered with review.services.idea_intake, which records the event too.

    Raises PermissionDenied (not an editor) or ValidationError if it is incomplete, arrived
    after the deadline or lacks the submitter's consent.
    """
    if not permissions.can_enter_paper_ideas(by):
        raise PermissionDenied(_("Only editors may do this."))
    channel, received_on = arrival.channel, arrival.received_on
    if channel == Channel.ONLINE:
        raise ValidationError({"channel": _("Choose how the idea arrived.")})
    if not arrival.paper_consent:
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
        author=arrival.author,
        channel=channel,
        received_on=received_on,
        entered_by=by,
        paper_consent=True,
        consent_at=now,
        consent_version=privacy_notice_version(),
        submitter_name=arrival.submitter_name,
        submitter_email=arrival.submitter_email,
        submitter_phone=arrival.submitter_phone,
        submitter_address=arrival.submitter_address,
        status=Status.SUBMITTED,
        submitted_at=now,
        reference=reference_next(call),
        **{name: getattr(data, name) for name in IDEA_DATA_FIELDS},
    )
    idea.full_clean(exclude=["action_fields", "quarters"])
    idea.save()
    idea.action_fields.set(data.action_fields)
    idea.quarters.set(data.quarters)
    audit_write(
        action="ideas.idea.entered",
        by=by,
        subject=idea,
        channel=channel,
        received_on=received_on.isoformat(),
    )
    if arrival.author is not None:
        notices.notice_submission_confirmation(idea=idea)
    return idea
