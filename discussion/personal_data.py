"""The discussion's part of a person's data (accounts.personal_data): their supports,
comments and reports in the download; on erasure their supports stay counted and their
comments stay in the threads, both without the person ("Former member")."""

from django.utils.translation import gettext_lazy, ngettext

from accounts import personal_data

from .models import Block, Comment, Report, Support, Unfollow


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(*, user, emails: set[str]) -> dict:
    supports = Support.objects.filter(user=user).select_related("idea").order_by("created_at")
    comments = Comment.objects.filter(author=user).select_related("idea").order_by("created_at")
    reports = Report.objects.filter(reporter=user).order_by("created_at")
    blocks = Block.objects.filter(user=user).order_by("created_at")
    return {
        "supports": [
            {"idea": support.idea.reference, "supported_at": _iso(support.created_at)}
            for support in supports
        ],
        "comments": [
            {
                "idea": comment.idea.reference,
                "reply_to": comment.parent_id,
                "id": comment.pk,
                "text": comment.text,
                "written_at": _iso(comment.created_at),
                "edited_at": _iso(comment.edited_at),
                "deleted_at": _iso(comment.deleted_at),
                "hidden_at": _iso(comment.hidden_at),
                "hidden_reason": comment.hidden_reason,
            }
            for comment in comments
        ],
        "reports": [
            {
                "comment": report.comment_id,
                "idea": report.idea_id,
                "reason": report.reason,
                "reported_at": _iso(report.created_at),
                "state": report.state,
            }
            for report in reports
        ],
        "discussion_blocks": [
            {"until": _iso(block.until), "reason": block.reason} for block in blocks
        ],
    }


def erase(*, user, emails: set[str], now) -> dict[str, int]:
    """Supports stay counted and comments stay in their threads, without the person;
    reports lose their reporter; blocks go."""
    return {
        "supports": Support.objects.filter(user=user).update(user=None),
        "comments": Comment.objects.filter(author=user).update(author=None),
        "reports": Report.objects.filter(reporter=user).update(reporter=None),
        "discussion_blocks": Block.objects.filter(user=user).delete()[0],
        "unfollowed": Unfollow.objects.filter(user=user).delete()[0],
    }


def consequences(*, user) -> list[str]:
    sentences = []
    comments = Comment.objects.filter(author=user, deleted_at__isnull=True).count()
    if comments:
        sentences.append(
            ngettext(
                "Your comment stays in its discussion, shown as by a former member.",
                "Your %(count)d comments stay in their discussions, shown as by a former member.",
                comments,
            )
            % {"count": comments}
        )
    supports = Support.objects.filter(user=user).count()
    if supports:
        sentences.append(
            ngettext(
                "Your support stays counted, without your name.",
                "Your %(count)d supports stay counted, without your name.",
                supports,
            )
            % {"count": supports}
        )
    return sentences


personal_data.register(
    personal_data.Provider(
        name="discussion",
        order=20,
        export=export,
        erase=erase,
        consequences=consequences,
        counted={
            "supports": gettext_lazy("supports without their supporter"),
            "comments": gettext_lazy("comments without their author"),
            "reports": gettext_lazy("reports without their reporter"),
            "discussion_blocks": gettext_lazy("blocks from discussing"),
            "unfollowed": gettext_lazy("ideas no longer followed"),
        },
    )
)
