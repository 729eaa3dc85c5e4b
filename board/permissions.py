"""Who may do what with shortlists, by role and phase (draft: before the review window
opens; open; closed). Plain predicates used by the views, the admin, the templates and the
services alike. No side effects. A superuser is not a board member unless in the group."""

from datetime import datetime

from django.utils import timezone

from accounts.roles import is_board_member, is_editor

from .models import Shortlist


def can_enter_board_area(user) -> bool:
    return is_board_member(user)


def can_view_shortlist(user, shortlist: Shortlist, moment: datetime | None = None) -> bool:
    """Board members read a shortlist once its window has opened (and afterwards)."""
    return is_board_member(user) and shortlist.opens_at <= (moment or timezone.now())


def can_vote(user, shortlist: Shortlist, moment: datetime | None = None) -> bool:
    """Board members vote while the window is open, and only then."""
    return is_board_member(user) and shortlist.is_open(moment or timezone.now())


def can_manage_shortlists(user) -> bool:
    return is_editor(user)


def can_edit_shortlist(user, shortlist: Shortlist | None, moment: datetime | None = None) -> bool:
    """Editors assemble a shortlist until its window opens; then it is frozen."""
    if not is_editor(user):
        return False
    return shortlist is None or shortlist.pk is None or not shortlist.has_opened(moment)


def can_view_tally(user) -> bool:
    return is_editor(user)


def can_record_outcome(user, shortlist: Shortlist, moment: datetime | None = None) -> bool:
    """Editors record the board's recommendation once the review has begun."""
    return is_editor(user) and shortlist.opens_at <= (moment or timezone.now())
