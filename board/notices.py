"""The board's notices: a shortlist open for review, and two days before its window closes
(registered with notices.registry, planned by beat from the current data)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices import registry
from notices.outbox import moments
from notices.services import notices_create, user_recipient

from . import selectors, services
from .models import Shortlist

SHORTLIST_OPENED = "shortlist_opened"
SHORTLIST_CLOSING = "shortlist_closing"
CLOSING_REMINDER = timedelta(days=2)


def shortlists_notices_plan(*, now: datetime | None = None) -> int:
    """Freeze shortlists whose window opened and tell the members; remind them two days
    before the window closes. Safe to run as often as one likes (dedupe keys)."""
    now = now or timezone.now()
    created = 0
    members = [user_recipient(user) for user in selectors.board_members()]
    for shortlist in Shortlist.objects.filter(opens_at__lte=now, closes_at__gt=now):
        services.shortlist_freeze(shortlist=shortlist, now=now)
        with transaction.atomic():
            created += notices_create(
                kind=SHORTLIST_OPENED,
                recipients=members,
                key=f"shortlist-open:{shortlist.pk}",
                subject=shortlist,
                data={"closes_at": shortlist.closes_at.isoformat()},
            )
            if now >= shortlist.closes_at - CLOSING_REMINDER:
                created += notices_create(
                    kind=SHORTLIST_CLOSING,
                    recipients=members,
                    key=f"shortlist-closing:{shortlist.pk}:{shortlist.closes_at:%Y%m%d%H%M}",
                    subject=shortlist,
                    data={"closes_at": shortlist.closes_at.isoformat()},
                )
    return created


def _context(notice) -> dict:
    return {"shortlist": notice.subject, "data": moments(notice.data, "closes_at")}


registry.register(
    registry.Kind(
        code=SHORTLIST_OPENED,
        label=gettext_lazy("Shortlist open for review"),
        template="board/mail/shortlist_opened",
        subject=lambda notice: _("A shortlist is open for your review"),
        context=_context,
    )
)
registry.register(
    registry.Kind(
        code=SHORTLIST_CLOSING,
        label=gettext_lazy("Shortlist review closes soon"),
        template="board/mail/shortlist_closing",
        subject=lambda notice: _("The review of a shortlist closes in two days"),
        context=_context,
    )
)
