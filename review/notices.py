"""The notices of the review: to authors about their idea's status, feedback and duplicates,
and the editors' daily digest of new ideas (registered with notices.registry)."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from discussion import following_notices
from ideas.models import Idea
from ideas.notices import idea_recipients
from notices import registry
from notices.outbox import moments
from notices.services import moment_key, notices_create, user_recipient

STATUS_CHANGED = "status_changed"
FEEDBACK_PUBLISHED = "feedback_published"
DUPLICATE_LINKED = "duplicate_linked"
DIGEST = "digest"
DIGEST_LIMIT = 50


def notice_idea_status_changed(*, idea: Idea, old_status: str, new_status: str) -> int:
    """Tell the author that their idea moved on (called by the status workflow), and the
    idea's followers (discussion)."""
    following_notices.notice_followers_status(
        idea=idea, old_status=old_status, new_status=new_status
    )
    return notices_create(
        kind=STATUS_CHANGED,
        recipients=idea_recipients(idea),
        key=f"status:{idea.pk}:{new_status}:{moment_key(timezone.now())}",
        subject=idea,
        data={"old_status": old_status, "new_status": new_status},
    )


def notice_feedback_published(*, idea: Idea, at: datetime) -> int:
    """Tell the author that the city published its feedback on their idea, and the idea's
    followers (discussion)."""
    following_notices.notice_followers_feedback(idea=idea, at=at)
    return notices_create(
        kind=FEEDBACK_PUBLISHED,
        recipients=idea_recipients(idea),
        key=f"feedback:{idea.pk}:{moment_key(at)}",
        subject=idea,
    )


def notice_duplicate_linked(*, idea: Idea, original: Idea, at: datetime) -> int:
    """Tell both authors that one idea was marked as a duplicate of the other."""
    return notices_create(
        kind=DUPLICATE_LINKED,
        recipients=[*idea_recipients(idea), *idea_recipients(original)],
        key=f"duplicate:{idea.pk}:{original.pk}:{moment_key(at)}",
        subject=idea,
        data={"original_id": original.pk},
    )


def digest_plan(*, now: datetime | None = None) -> int:
    """The daily digest of the last 24 hours' new ideas, to every editor, if there were any."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    if not Idea.objects.published().filter(submitted_at__gte=since, submitted_at__lt=now).exists():
        return 0
    editors = get_user_model().objects.filter(groups__name=Role.EDITOR, is_active=True)
    with transaction.atomic():
        return notices_create(
            kind=DIGEST,
            recipients=[user_recipient(user) for user in editors.distinct()],
            key=f"digest:{timezone.localdate(now).isoformat()}",
            data={"since": since.isoformat(), "until": now.isoformat()},
        )


def _about_idea(notice) -> dict:
    return {"idea": notice.subject}


def _duplicate(notice) -> dict:
    return {
        "idea": notice.subject,
        "original": Idea.objects.filter(pk=notice.data.get("original_id")).first(),
    }


def _digest(notice) -> dict:
    data = moments(notice.data, "since", "until")
    ideas = (
        Idea.objects.published()
        .filter(submitted_at__gte=data["since"], submitted_at__lt=data["until"])
        .select_related("primary_field", "call")
        .order_by("submitted_at")
    )
    return {"data": data, "ideas": list(ideas[:DIGEST_LIMIT]), "idea_count": ideas.count()}


registry.register(
    registry.Kind(
        code=STATUS_CHANGED,
        label=gettext_lazy("Status of an idea changed"),
        template="review/mail/status_changed",
        subject=lambda notice: (
            _("News about your idea %(reference)s") % {"reference": notice.subject.reference}
        ),
        context=_about_idea,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=FEEDBACK_PUBLISHED,
        label=gettext_lazy("Feedback on an idea published"),
        template="review/mail/feedback_published",
        subject=lambda notice: (
            _("Feedback on your idea %(reference)s") % {"reference": notice.subject.reference}
        ),
        context=_about_idea,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=DIGEST,
        label=gettext_lazy("Daily digest of new ideas"),
        template="review/mail/digest",
        subject=lambda notice: _("New ideas of the last 24 hours"),
        context=_digest,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=DUPLICATE_LINKED,
        label=gettext_lazy("Idea marked as a duplicate"),
        template="review/mail/duplicate_linked",
        subject=lambda notice: (
            _("Idea %(reference)s marked as a duplicate") % {"reference": notice.subject.reference}
        ),
        context=_duplicate,
        optional=True,
    )
)
