"""Ideas that arrive on paper, by post, by phone or at an event, entered by the editors.
From then on such an idea is an idea like any other: submitted, with a reference number."""

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
) -> Idea:
    """Enter an idea that did not come through the form. Writes the audit entry and, for a
    citizen with an account, the submission confirmation.

    Raises PermissionDenied (not an editor) or ValidationError if it is incomplete, arrived
    after the deadline or lacks the submitter's consent.
    """
    if not permissions.can_enter_paper_ideas(by):
        raise PermissionDenied(_("Only editors may do this."))
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
    if author is not None:
        notices.notice_submission_confirmation(idea=idea)
    return idea
