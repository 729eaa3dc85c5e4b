"""Writing, editing and deleting comments, and keeping the idea's comment count.

A comment is plain text: control characters (NUL and the like) and the invisible direction
overrides that can disguise a text are removed before anything is stored; links become
links only when shown (escaped first, then `urlize`). Every change makes stale only the
idea's own cached page."""

import re
import unicodedata
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from halle_smartcity.page_cache import idea_tag, tags_bump
from ideas.models import Idea

from . import following, permissions
from .models import Comment

MAX_LENGTH = 5000
# The same text by the same person on the same idea within this time is a duplicate.
DUPLICATE_WINDOW = timedelta(hours=24)
# Direction overrides and isolates (U+202A-202E, U+2066-2069): invisible, and able to make a
# text read differently from what it says. Plain right-to-left text stays.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def text_clean(text: str) -> str:
    """The text as stored: line breaks kept (as \\n), other control characters and direction
    overrides removed, surrounding space stripped. Raises ValidationError if nothing is
    left or it is too long."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = BIDI_CONTROLS.sub("", text)
    text = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc"
    ).strip()
    if not text:
        raise ValidationError({"text": _("Please write a comment.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "Your comment is too long: at most %(max)s characters, it has %(length)s."
                )
                % {"max": f"{MAX_LENGTH:,}".replace(",", "."), "length": len(text)}
            }
        )
    return text


def visible_filter() -> Q:
    """Comments the public counts: approved, not deleted, not hidden."""
    return Q(pending=False, deleted_at__isnull=True, hidden_at__isnull=True)


def comment_count_refresh(idea_id: int) -> int:
    """Write the idea's exact count of visible comments."""
    count = Comment.objects.filter(visible_filter(), idea_id=idea_id).count()
    Idea.objects.filter(pk=idea_id).update(comment_count=count)
    tags_bump(idea_tag(idea_id))
    return count


def _needs_approval(idea: Idea, user) -> bool:
    """A person's first comment waits for an editor where the call asks for it."""
    if not permissions.settings_of(idea.call).premoderate_first_comments:
        return False
    if permissions.can_moderate(user):
        return False
    return not Comment.objects.filter(author=user, pending=False).exists()


@transaction.atomic
def comment_create(
    *, idea: Idea, by, text: str, parent: Comment | None = None, official: bool = False
) -> Comment:
    """`by` comments on the idea, or replies to a comment on it (one level: a reply to a
    reply answers the comment it belongs to). Editors may mark it an official answer.

    Raises PermissionDenied (with the reason) for anyone who may not discuss the idea now,
    ValidationError for an empty, too long or repeated text or a reply to a deleted or hidden
    comment. The author follows the idea from now on (unless they opted out)."""
    idea = Idea.objects.select_related("call").get(pk=idea.pk)
    refusal = permissions.discuss_refusal(by, idea)
    if refusal:
        raise PermissionDenied(refusal)
    if official and not permissions.can_moderate(by):
        raise PermissionDenied(_("Only the city's editors can give official answers."))
    text = text_clean(text)
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if parent.idea_id != idea.pk:
            raise ValidationError({"parent": _("This comment belongs to another idea.")})
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
        if parent.is_deleted or parent.is_hidden or parent.pending:
            raise ValidationError(
                {"parent": _("You cannot reply to a comment that was deleted or hidden.")}
            )
    since = timezone.now() - DUPLICATE_WINDOW
    if Comment.objects.filter(author=by, idea=idea, text=text, created_at__gte=since).exists():
        raise ValidationError({"text": _("You have already written this comment.")})
    comment = Comment.objects.create(
        idea=idea,
        parent=parent,
        author=by,
        text=text,
        official=official,
        pending=_needs_approval(idea, by),
    )
    audit_write(
        action="discussion.comment.created",
        by=by,
        subject=comment,
        idea=idea.reference,
        pending=comment.pending,
    )
    if not comment.pending:
        comment_count_refresh(idea.pk)
    following.follow_automatically(idea=idea, user=by)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by, text: str) -> Comment:
    """Change one's own comment within the edit window; it is marked "edited".
    Raises PermissionDenied, ValidationError."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea__call")
        .get(pk=comment.pk)
    )
    if not permissions.can_edit_comment(by, comment):
        raise PermissionDenied(
            _("This comment can no longer be changed (only within %(minutes)s minutes).")
            % {"minutes": permissions.EDIT_WINDOW_MINUTES}
        )
    text = text_clean(text)
    if text == comment.text:
        return comment
    comment.text = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    audit_write(action="discussion.comment.edited", by=by, subject=comment)
    tags_bump(idea_tag(comment.idea_id))
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> Comment:
    """Delete one's own comment: the text goes, the place in the thread stays ("deleted").
    Raises PermissionDenied."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not permissions.can_delete_comment(by, comment):
        raise PermissionDenied(_("You can only delete your own comments."))
    comment.text = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["text", "deleted_at"])
    audit_write(action="discussion.comment.deleted", by=by, subject=comment)
    comment_count_refresh(comment.idea_id)
    return comment
