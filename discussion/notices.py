"""The discussion's notices (notices.registry): the support threshold to the editors, a
hidden comment to its author."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.roles import is_editor
from notices import registry
from notices.services import notices_create, user_recipient

from .models import Comment

THRESHOLD_REACHED = "discussion_threshold"
COMMENT_HIDDEN = "discussion_comment_hidden"


def editors():
    return get_user_model().objects.filter(groups__name=Role.EDITOR, is_active=True).distinct()


def notice_threshold_reached(*, idea, threshold: int) -> int:
    """Tell the editors once that an idea reached its call's threshold of supports."""
    return notices_create(
        kind=THRESHOLD_REACHED,
        recipients=[user_recipient(user) for user in editors()],
        key=f"support-threshold:{idea.pk}",
        subject=idea,
        data={"threshold": threshold},
    )


def notice_comment_hidden(*, comment, reason: str) -> int:
    """Tell a comment's author that an editor hid it, and why."""
    if comment.author is None:
        return 0
    return notices_create(
        kind=COMMENT_HIDDEN,
        recipients=[user_recipient(comment.author)],
        key=f"comment-hidden:{comment.pk}:{comment.hidden_at.isoformat()}",
        subject=comment.idea,
        data={"reason": reason, "comment": comment.pk},
    )


def _about_idea(notice) -> dict:
    return {"idea": notice.subject, "data": notice.data}


def _about_comment(notice) -> dict:
    comment = Comment.objects.filter(pk=notice.data.get("comment")).first()
    return {"idea": notice.subject, "data": notice.data, "comment": comment}


registry.register(
    registry.Kind(
        code=THRESHOLD_REACHED,
        label=gettext_lazy("Support threshold reached"),
        template="discussion/mail/threshold_reached",
        subject=lambda notice: (
            _("The idea %(reference)s reached %(threshold)s supports")
            % {"reference": notice.subject.reference, "threshold": notice.data["threshold"]}
        ),
        context=_about_idea,
        visible_to=is_editor,
    )
)
registry.register(
    registry.Kind(
        code=COMMENT_HIDDEN,
        label=gettext_lazy("Comment hidden"),
        template="discussion/mail/comment_hidden",
        subject=lambda notice: (
            _("Your comment on the idea %(reference)s has been hidden")
            % {"reference": notice.subject.reference}
        ),
        context=_about_comment,
    )
)
