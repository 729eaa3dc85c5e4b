"""Inviting idea givers to a workshop: editors invite the authors of selected ideas who
agreed to take part (`wants_workshop`) to an event; each gets one notice with a personal
link that works without an account, once, until the event ends. Authors without an email
address but with a postal one are invited by letter (the staff's letter list). Accepting
registers the author for the event, with its capacity and waiting list; the events app
reminds registrants the day before."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from events.models import Event
from events.services import (
    AlreadyRegistered,
    RegistrationRefused,
    registration_refusal,
    registration_request,
)
from ideas.models import Idea
from ideas.notices import idea_recipients
from notices.services import notices_create

from . import notices, permissions
from .models import Invitation, InvitationStatus


class InvitationInvalid(ValidationError):
    """The link is unknown, used already, or its event is over or cancelled."""


@dataclass
class InvitationCount:
    invited: int = 0
    letters: int = 0
    declined: int = 0  # the author did not want to take part in workshops
    no_contact: int = 0  # neither an email nor a postal address
    already: int = 0  # invited to this event before


def invitation_refusal(event: Event, now: datetime) -> str | None:
    """Why nobody can be invited to (or accept an invitation to) the event now: the events'
    own rule for registering (accepting registers), so that no invitation goes out that
    could not be accepted; said in the editors' words where registration is off."""
    if not (event.is_cancelled or event.has_ended(now) or event.registration_enabled):
        return _("Invitations need an event with registration (for its places).")
    return registration_refusal(event=event, now=now)


@transaction.atomic
def invitations_send(*, ideas, event: Event, by, now: datetime | None = None) -> InvitationCount:
    """Invite the authors of `ideas` who agreed to take part to `event`: one invitation per
    idea and event, one notice per invitation (sending twice invites nobody twice). Authors
    who declined, and those who cannot be reached, are counted, not invited.

    Raises PermissionDenied (not an editor) or ValidationError (the event is over, cancelled,
    takes no registrations or no more)."""
    if not permissions.can_manage_measures(by):
        raise PermissionDenied(_("Only editors may do this."))
    now = now or timezone.now()
    refusal = invitation_refusal(event, now)
    if refusal:
        raise ValidationError(refusal)
    count = InvitationCount()
    ideas = list(Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).select_related("author"))
    invited_before = set(
        Invitation.objects.filter(event=event, idea__in=ideas).values_list("idea_id", flat=True)
    )
    for idea in ideas:
        if not idea.wants_workshop:
            count.declined += 1
            continue
        if idea.pk in invited_before:
            count.already += 1
            continue
        recipients = idea_recipients(idea)
        if not recipients and not idea.submitter_address.strip():
            count.no_contact += 1
            continue
        invitation = Invitation.objects.create(
            idea=idea, event=event, invited_at=now, by_letter=not recipients
        )
        if recipients:
            notices_create(
                kind=notices.INVITATION,
                recipients=recipients,
                key=f"invitation:{invitation.pk}",
                subject=invitation,
            )
            count.invited += 1
        else:
            count.letters += 1
    audit_write(
        action="measures.invitations.sent",
        by=by,
        subject=event,
        invited=count.invited,
        letters=count.letters,
        declined=count.declined,
        no_contact=count.no_contact,
        already=count.already,
    )
    return count


def invitation_by_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The open invitation behind a link. Raises InvitationInvalid with the reason."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("event", "idea", "idea__author")
        .filter(token=token)
        .first()
        if token and len(token) <= 64
        else None
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid."), code="unknown")
    if invitation.status != InvitationStatus.INVITED:
        raise InvitationInvalid(_("This invitation has already been answered."), code="used")
    if invitation.event.is_cancelled or invitation.event.has_ended(now):
        raise InvitationInvalid(_("This invitation has expired."), code="expired")
    return invitation


@transaction.atomic
def invitation_answer(*, token: str, accept: bool, now: datetime | None = None) -> Invitation:
    """Accept or decline an invitation through its link (once). Accepting registers the
    author for the event: a place, or a place on the waiting list when it is full.

    Raises InvitationInvalid (unknown, used, expired) or ValidationError (registration for
    the event has closed)."""
    now = now or timezone.now()
    invitation = invitation_by_token(token, now=now)
    # Lock the invitation's row only (its idea may have no author: an outer join).
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event", "idea", "idea__author")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.INVITED:
        raise InvitationInvalid(_("This invitation has already been answered."), code="used")
    idea = invitation.idea
    if accept:
        try:
            invitation.registration = registration_request(
                event=invitation.event,
                name=idea.submitter_name if idea.author is None else "",
                email=idea.submitter_email if idea.author is None else "",
                user=idea.author,
                address_confirmed=True,
                now=now,
            )
        except AlreadyRegistered as already:
            invitation.registration = already.registration
        except RegistrationRefused as refused:
            raise ValidationError(refused.messages) from refused
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = now
    invitation.save(update_fields=["status", "answered_at", "registration"])
    audit_write(
        action="measures.invitation.answered",
        by=None,
        subject=invitation.event,
        idea=idea.reference,
        status=invitation.status,
    )
    return invitation
