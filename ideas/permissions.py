"""Plain predicates: who may do what with a call or an idea. No side effects."""

from django.utils import timezone

from .models import Call, Idea


def can_view_idea(user, idea: Idea) -> bool:
    if idea.is_public:
        return True
    return user.is_authenticated and idea.author_id == user.pk


def can_edit_idea(user, idea: Idea, moment=None) -> bool:
    """Authors edit their drafts and submitted ideas until the call's current deadline;
    once staff have moved an idea on, the text is theirs to keep stable."""
    if not user.is_authenticated or idea.author_id != user.pk:
        return False
    if idea.status not in ("draft", "submitted"):
        return False
    return idea.call.is_open(moment or timezone.now())


def can_submit_to(user, call: Call, moment=None) -> bool:
    return user.is_authenticated and call.is_open(moment or timezone.now())
