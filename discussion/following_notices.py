"""What followers of an idea hear (notices.registry): a daily digest of the new comments
(never one mail per comment), and the idea's status changes and published feedback. Both
kinds may be switched off on the account page; every mail's one-click link ends following
that idea. The idea's author follows it automatically until they stop; they hear about
status and feedback through the review's own notices, so not twice."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas.models import Idea, Status
from notices import registry
from notices.models import Subscription
from notices.services import Recipient, moment_key, notices_create, user_recipient

from .comments import visible_filter
from .models import Comment, Unfollow

COMMENT_DIGEST = "discussion_comment_digest"
FOLLOWED_STATUS = "discussion_followed_status"
FOLLOWED_FEEDBACK = "discussion_followed_feedback"
DIGEST_LIMIT = 20


def followers(idea: Idea, *, with_author: bool = True) -> list[Recipient]:
    """Active subscriptions to the idea, and its author unless they stopped following it."""
    subscriptions = list(Subscription.objects.about(idea))
    recipients = [
        Recipient(
            email=sub.email, language=sub.language, user_id=sub.user_id, subscription_id=sub.pk
        )
        for sub in subscriptions
        if sub.is_active
        and (with_author or idea.author_id is None or sub.user_id != idea.author_id)
    ]
    ended = {sub.email for sub in subscriptions if sub.unsubscribed_at is not None}
    author = idea.author
    if (
        with_author
        and author is not None
        and author.is_active
        and author.email.lower() not in ended
        and not Unfollow.objects.filter(idea=idea, user=author).exists()
        and all(recipient.email != author.email.lower() for recipient in recipients)
    ):
        recipients.append(user_recipient(author))
    elif not with_author and author is not None:
        recipients = [r for r in recipients if r.email != author.email.lower()]
    return recipients


def digest_window(now: datetime) -> tuple[datetime, datetime]:
    """Yesterday, by the city's calendar: the digest sent today covers it."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=1), today


def comment_digests_plan(*, now: datetime | None = None) -> int:
    """Write one digest per follower and idea with new visible comments yesterday, leaving
    out a follower whose own comments they all are. Run daily; running again the same day
    writes nothing new (the key names the day). Returns the number of notices written."""
    start, end = digest_window(now or timezone.now())
    new = Comment.objects.filter(visible_filter(), created_at__gte=start, created_at__lt=end)
    ideas = Idea.objects.filter(pk__in=new.values("idea_id")).select_related("author")
    written = 0
    for idea in ideas:
        authors = set(new.filter(idea=idea).values_list("author__email", flat=True))
        recipients = [r for r in followers(idea) if {r.email} != {a.lower() for a in authors if a}]
        with transaction.atomic():
            written += notices_create(
                kind=COMMENT_DIGEST,
                recipients=recipients,
                key=f"comments:{idea.pk}:{start.date().isoformat()}",
                subject=idea,
                data={"start": start.isoformat(), "end": end.isoformat()},
            )
    return written


def notice_followers_status(*, idea: Idea, old_status: str, new_status: str) -> int:
    """Tell the followers (not the author: the review tells them) of a new status."""
    return notices_create(
        kind=FOLLOWED_STATUS,
        recipients=followers(idea, with_author=False),
        key=f"followed-status:{idea.pk}:{new_status}:{moment_key(timezone.now())}",
        subject=idea,
        data={"old_status": old_status, "new_status": new_status},
    )


def notice_followers_feedback(*, idea: Idea, at: datetime) -> int:
    """Tell the followers (not the author) that the city published its feedback."""
    return notices_create(
        kind=FOLLOWED_FEEDBACK,
        recipients=followers(idea, with_author=False),
        key=f"followed-feedback:{idea.pk}:{moment_key(at)}",
        subject=idea,
    )


def _digest_context(notice) -> dict:
    start = datetime.fromisoformat(notice.data["start"])
    end = datetime.fromisoformat(notice.data["end"])
    comments = (
        Comment.objects.filter(
            visible_filter(), idea=notice.subject, created_at__gte=start, created_at__lt=end
        )
        .select_related("author")
        .order_by("created_at", "id")
    )
    return {
        "idea": notice.subject,
        "comments": list(comments[:DIGEST_LIMIT]),
        "more": max(comments.count() - DIGEST_LIMIT, 0),
    }


def _status_context(notice) -> dict:
    def label(code):
        return Status(code).label if code in Status.values else code

    return {"idea": notice.subject, "new_status": label(notice.data.get("new_status"))}


registry.register(
    registry.Kind(
        code=COMMENT_DIGEST,
        label=gettext_lazy("New comments on ideas you follow (daily)"),
        template="discussion/mail/comment_digest",
        subject=lambda notice: (
            _("New comments on the idea %(reference)s") % {"reference": notice.subject.reference}
        ),
        context=_digest_context,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=FOLLOWED_STATUS,
        label=gettext_lazy("Status of ideas you follow"),
        template="discussion/mail/followed_status",
        subject=lambda notice: (
            _("News on the idea %(reference)s") % {"reference": notice.subject.reference}
        ),
        context=_status_context,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=FOLLOWED_FEEDBACK,
        label=gettext_lazy("Feedback on ideas you follow"),
        template="discussion/mail/followed_feedback",
        subject=lambda notice: (
            _("The city's feedback on the idea %(reference)s")
            % {"reference": notice.subject.reference}
        ),
        context=lambda notice: {"idea": notice.subject},
        optional=True,
    )
)
