"""The measures' part of a person's data (registered with accounts.personal_data): the
workshop invitations sent for their ideas, with their answers, and what came out of the
workshops for those ideas. At the erasure of the account the invitations still open are
withdrawn (their personal link would otherwise still register someone for the event);
answered ones stay as part of the idea's path, which names no person."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data

from .models import Invitation, InvitationStatus, WorkshopResult


def _ideas_of(*, user, emails) -> Q:
    """The ideas the person submitted: with their account, or on paper under an address
    they have proven to own."""
    mine = Q(idea__author=user) if user is not None else Q(pk__in=[])
    return mine | Q(idea__submitter_email__in=list(emails)) if emails else mine


def export(*, user, emails) -> dict:
    invitations = (
        Invitation.objects.filter(_ideas_of(user=user, emails=emails))
        .select_related("idea", "event")
        .order_by("invited_at", "id")
    )
    results = (
        WorkshopResult.objects.filter(_ideas_of(user=user, emails=emails))
        .select_related("idea", "event")
        .order_by("id")
    )
    return {
        "workshop_invitations": [
            {
                "idea": invitation.idea.reference,
                "event": invitation.event.title,
                "status": invitation.status,
                "by_letter": invitation.by_letter,
                "invited_at": invitation.invited_at.isoformat(),
                "answered_at": (
                    invitation.answered_at.isoformat() if invitation.answered_at else None
                ),
            }
            for invitation in invitations
        ],
        "workshop_results": [
            {
                "idea": result.idea.reference,
                "event": result.event.title if result.event_id else None,
                "outcome": result.outcome,
                "next_step": result.next_step,
            }
            for result in results
        ],
    }


def erase(*, user, emails, now) -> dict[str, int]:
    deleted, _by_model = Invitation.objects.filter(
        _ideas_of(user=user, emails=emails), status=InvitationStatus.INVITED
    ).delete()
    return {"open_invitations": deleted}


def consequences(*, user) -> list[str]:
    return [_("Workshop invitations for your ideas that you have not answered are withdrawn.")]


personal_data.register(
    personal_data.Provider(
        name="measures",
        # Before the ideas' provider (10) takes the author off the ideas.
        order=5,
        export=export,
        erase=erase,
        consequences=consequences,
        counted={"open_invitations": gettext_lazy("open workshop invitations")},
    )
)
