"""What the discussion's audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry
from audit.registry import changed_fields

from .models import CallDiscussion


def _count(data: dict) -> str:
    return _("Supports now: %(count)s") % {"count": data.get("count", "–")}


def _reason(data: dict) -> str:
    return _("Reason: %(reason)s") % {"reason": data.get("reason", "–")}


registry.register("discussion.support.added", gettext_lazy("Idea supported"), _count)
registry.register("discussion.support.withdrawn", gettext_lazy("Support withdrawn"), _count)
registry.register(
    "discussion.idea.threshold_reached",
    gettext_lazy("Support threshold reached"),
    lambda data: _("Threshold: %(threshold)s") % {"threshold": data.get("threshold", "–")},
)
registry.register("discussion.settings.created", gettext_lazy("Discussion settings created"))
registry.register(
    "discussion.settings.changed",
    gettext_lazy("Discussion settings changed"),
    changed_fields(CallDiscussion),
)
registry.register("discussion.comment.created", gettext_lazy("Comment written"))
registry.register("discussion.comment.edited", gettext_lazy("Comment edited"))
registry.register(
    "discussion.comment.deleted",
    gettext_lazy("Comment deleted"),
    # Deleted by its author: no details; deleted in the admin: the comment's name.
    lambda data: data.get("name", ""),
)
registry.register("discussion.comment.approved", gettext_lazy("Comment approved"))
registry.register("discussion.comment.hidden", gettext_lazy("Comment hidden"), _reason)
registry.register("discussion.comment.restored", gettext_lazy("Comment restored"), _reason)
registry.register("discussion.report.created", gettext_lazy("Content reported"))
registry.register("discussion.report.dismissed", gettext_lazy("Report dismissed"))
registry.register(
    "discussion.block.created", gettext_lazy("Account blocked from discussing"), _reason
)
registry.register("discussion.block.ended", gettext_lazy("Block from discussing ended"))
registry.register("discussion.idea.followed", gettext_lazy("Idea followed"))
registry.register("discussion.idea.unfollowed", gettext_lazy("Idea no longer followed"))
