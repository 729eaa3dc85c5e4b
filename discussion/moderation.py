"""Reports and moderation: citizens report ideas and comments; editors hide and restore
comments with a reason (the author is told, the audit log records it), approve comments
waiting for pre-moderation, dismiss reports and block accounts from discussing."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas.models import Idea

from . import notices, permissions
from .comments import comment_count_refresh
from .models import Block, Comment, Report, ReportState


def _require_moderator(user) -> None:
    if not permissions.can_moderate(user):
        raise PermissionDenied(_("Only editors may moderate the discussion."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("The reason is too long (at most 2,000 characters).")})
    return reason


@transaction.atomic
def report_create(*, by, reason: str, idea: Idea | None = None, comment: Comment | None = None):
    """Report an idea or a comment (one report per person and object). Raises
    PermissionDenied (not allowed to discuss, or one's own comment), ValidationError (no
    reason, reported before)."""
    target_idea = comment.idea if comment is not None else idea
    # Reporting stays possible after the phase closed: abuse does not end with it.
    # Each check once; the sentence (which checks again) only for a refusal.
    if (
        not permissions.is_verified(by)
        or permissions.block_of(by) is not None
        or not target_idea.is_public
    ):
        raise PermissionDenied(permissions.discuss_refusal(by, target_idea))
    if comment is not None and comment.author_id == by.pk:
        raise PermissionDenied(_("You cannot report your own comment."))
    reason = _reason(reason)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                idea=None if comment is not None else idea,
                comment=comment,
                reporter=by,
                reason=reason,
            )
    except IntegrityError:
        raise ValidationError({"reason": _("You have already reported this.")}) from None
    audit_write(action="discussion.report.created", by=by, subject=report.subject)
    return report


def _resolve_reports(comment: Comment, state: str) -> None:
    comment.reports.filter(state=ReportState.OPEN).update(state=state, resolved_at=timezone.now())


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    """Hide a comment from the public with a reason; its author is told why, its open
    reports are resolved. Raises PermissionDenied, ValidationError."""
    _require_moderator(by)
    reason = _reason(reason)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "author")
        .get(pk=comment.pk)
    )
    if comment.is_deleted:
        raise ValidationError({"reason": _("A deleted comment cannot be hidden.")})
    comment.hidden_at = timezone.now()
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    _resolve_reports(comment, ReportState.HIDDEN)
    audit_write(action="discussion.comment.hidden", by=by, subject=comment, reason=reason)
    notices.notice_comment_hidden(comment=comment, reason=reason)
    comment_count_refresh(comment.idea_id)
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, by, reason: str) -> Comment:
    """Show a hidden comment again, with a reason for the record."""
    _require_moderator(by)
    reason = _reason(reason)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_hidden:
        return comment
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    audit_write(action="discussion.comment.restored", by=by, subject=comment, reason=reason)
    comment_count_refresh(comment.idea_id)
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment, by) -> Comment:
    """Publish a comment that waited for pre-moderation."""
    _require_moderator(by)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.pending:
        return comment
    comment.pending = False
    comment.save(update_fields=["pending"])
    audit_write(action="discussion.comment.approved", by=by, subject=comment)
    comment_count_refresh(comment.idea_id)
    return comment


@transaction.atomic
def report_dismiss(*, report: Report, by) -> Report:
    """The reported content stays: the report is closed."""
    _require_moderator(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state == ReportState.OPEN:
        report.state = ReportState.DISMISSED
        report.resolved_at = timezone.now()
        report.save(update_fields=["state", "resolved_at"])
        audit_write(action="discussion.report.dismissed", by=by, subject=report.subject)
    return report


@transaction.atomic
def block_create(*, user, until: datetime, reason: str, by) -> Block:
    """Keep an account from supporting, commenting and reporting until `until`."""
    _require_moderator(by)
    reason = _reason(reason)
    if until <= timezone.now():
        raise ValidationError({"until": _("The block must end in the future.")})
    if user.pk == by.pk:
        raise ValidationError({"user": _("You cannot block your own account.")})
    block = Block.objects.create(user=user, until=until, reason=reason)
    audit_write(
        action="discussion.block.created",
        by=by,
        subject=block,
        until=until.isoformat(),
        reason=reason,
    )
    return block


@transaction.atomic
def block_end(*, block: Block, by) -> Block:
    _require_moderator(by)
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.until > timezone.now():
        block.until = timezone.now()
        block.save(update_fields=["until"])
        audit_write(action="discussion.block.ended", by=by, subject=block)
    return block
