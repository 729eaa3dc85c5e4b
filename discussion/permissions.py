"""Who may discuss what, and when. Each predicate answers a yes/no; `discuss_refusal` says
why not, in words a citizen reads (views, services and templates share it)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_editor
from accounts.services import user_emails
from ideas.models import Idea, Status

from .models import Block, CallDiscussion, Comment


def settings_of(call) -> CallDiscussion:
    """The call's discussion settings (the defaults for a call without any)."""
    try:
        return call.discussion
    except CallDiscussion.DoesNotExist:
        return CallDiscussion(call=call)


def is_verified(user) -> bool:
    """A signed-in, active account whose login address is proven (accounts.services)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.email.lower() in user_emails(user)


def block_of(user, moment: datetime | None = None) -> Block | None:
    if not (user and user.is_authenticated):
        return None
    moment = moment or timezone.now()
    return Block.objects.filter(user=user, until__gt=moment).order_by("-until").first()


def discussion_open(idea: Idea, moment: datetime | None = None) -> bool:
    """The idea is public and its call's discussion phase lasts. A duplicate is discussed
    at its original."""
    if not idea.is_public or idea.status == Status.DUPLICATE:
        return False
    return settings_of(idea.call).is_open(moment)


def discuss_refusal(user, idea: Idea, moment: datetime | None = None) -> str | None:
    """Why this user may not support, comment on or report the idea now; None if they may."""
    if not (user and user.is_authenticated):
        return _("Please log in to take part in the discussion.")
    if not is_verified(user):
        return _("Please confirm your email address before taking part in the discussion.")
    block = block_of(user, moment)
    if block is not None:
        return _("Your account may not take part in discussions until %(date)s.") % {
            "date": timezone.localtime(block.until).strftime("%d.%m.%Y %H:%M")
        }
    if not discussion_open(idea, moment):
        return _("The discussion of this idea is closed.")
    return None


# `support_refusal`'s `refusal` when the caller has not derived `discuss_refusal` yet.
UNKNOWN = object()


def support_refusal(
    user, idea: Idea, moment: datetime | None = None, *, refusal=UNKNOWN
) -> str | None:
    """Authors do not support their own idea: the count says how many others want it.
    `refusal`: `discuss_refusal`'s answer, when the caller has it already."""
    if refusal is UNKNOWN:
        refusal = discuss_refusal(user, idea, moment)
    if refusal is None and idea.author_id is not None and idea.author_id == user.pk:
        return _("You cannot support your own idea.")
    return refusal


def can_moderate(user) -> bool:
    """Editors moderate: hide and restore, handle reports, block accounts, answer officially."""
    return is_editor(user)


# How long an author may still change a comment.
EDIT_WINDOW_MINUTES = 15


def can_edit_comment(user, comment: Comment, moment: datetime | None = None) -> bool:
    moment = moment or timezone.now()
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and (moment - comment.created_at).total_seconds() < EDIT_WINDOW_MINUTES * 60
        and block_of(user, moment) is None
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and not comment.is_deleted
