"""Who may do what with a call or an idea: plain predicates, used by the views, the admin,
the templates (ideas_rules tags) and the services alike. No side effects."""

from datetime import datetime

from django.utils import timezone

from accounts.roles import is_editor

from .models import Call, Idea, Status


def can_view_idea(user, idea: Idea) -> bool:
    """Published ideas are public; a draft is its author's alone."""
    if idea.is_public:
        return True
    return bool(user and user.is_authenticated and idea.author_id == user.pk)


def can_view_idea_images(user, idea: Idea) -> bool:
    """Whoever may see the idea; editors also see the images of submitted ideas they handle
    in the administration while the call is unpublished. A draft's images are its
    author's alone."""
    if can_view_idea(user, idea):
        return True
    return not idea.is_draft and is_editor(user)


def can_submit_to(user, call: Call, moment: datetime | None = None) -> bool:
    """Anyone with an account, while the call is open (published, started, before the
    current deadline)."""
    return bool(user and user.is_authenticated) and call.is_open(moment or timezone.now())


def can_edit_idea(user, idea: Idea, moment: datetime | None = None) -> bool:
    """Authors edit their drafts and submitted ideas until the call's current deadline;
    once staff have moved an idea on, the text is theirs to keep stable."""
    if not user or not user.is_authenticated or idea.author_id != user.pk:
        return False
    if idea.status not in (Status.DRAFT, Status.SUBMITTED):
        return False
    return idea.call.is_open(moment or timezone.now())


def can_delete_draft(user, idea: Idea) -> bool:
    """Authors delete their own drafts, at any time; submitted ideas stay."""
    return bool(user and user.is_authenticated) and idea.author_id == user.pk and idea.is_draft


def can_manage_calls(user) -> bool:
    """Editors create, publish and extend calls."""
    return is_editor(user)


def can_enter_paper_ideas(user) -> bool:
    """Editors enter ideas that came on paper, by post, by phone or at an event."""
    return is_editor(user)
