"""The notices about calls and ideas: registered with the outbox (notices.registry), written
by the services in their transactions, and the deadline reminders and call-closed notices
that beat plans from the current data."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices import registry
from notices.outbox import moments
from notices.services import Recipient, moment_key, notices_create, subscribers, user_recipient

from .models import Call, Idea, Status

SUBMISSION_CONFIRMATION = "submission_confirmation"
DEADLINE_REMINDER = "deadline_reminder"
CALL_EXTENDED = "call_extended"
CALL_CLOSED = "call_closed"


# --- Pure rules ---------------------------------------------------------------------------


def reminder_due(*, now: datetime, deadline: datetime, offsets_days: Iterable[int]) -> int | None:
    """Which deadline reminder is due at `now`: the one for `d` days before the deadline is due
    from then until the next, closer reminder is (or the deadline). Days are counted on the
    Berlin calendar, so a reminder "7 days before 23:59" goes out at 23:59 across a change of
    daylight saving time too."""
    local_deadline = timezone.localtime(deadline)
    if now >= deadline:
        return None
    offsets = sorted({int(days) for days in offsets_days if int(days) > 0}, reverse=True)
    for index, days in enumerate(offsets):
        start = local_deadline - timedelta(days=days)
        end = (
            local_deadline - timedelta(days=offsets[index + 1])
            if index + 1 < len(offsets)
            else local_deadline
        )
        if start <= now < end:
            return days
    return None


# --- Who hears about what -----------------------------------------------------------------


def idea_recipients(idea: Idea) -> list[Recipient]:
    """Who hears about an idea: its author, or whoever handed it in on paper with an email."""
    if idea.author is not None:
        return [user_recipient(idea.author)]
    if idea.submitter_email:
        return [Recipient(email=idea.submitter_email)]
    return []


def _authors(call: Call, *, drafts: bool) -> list[Recipient]:
    ideas = call.ideas.filter(author__isnull=False).select_related("author")
    ideas = ideas.filter(status=Status.DRAFT) if drafts else ideas.exclude(status=Status.DRAFT)
    return [user_recipient(idea.author) for idea in ideas.distinct()]


# --- Writing notices ----------------------------------------------------------------------


def notice_submission_confirmation(*, idea: Idea) -> int:
    if idea.author is None:
        return 0
    return notices_create(
        kind=SUBMISSION_CONFIRMATION,
        recipients=[user_recipient(idea.author)],
        key=f"submitted:{idea.pk}",
        subject=idea,
    )


def notice_call_extended(
    *, call: Call, old_deadline: datetime, new_deadline: datetime, reason: str
) -> int:
    """Tell subscribers, draft holders and authors of submitted ideas of a new deadline."""
    recipients = [*subscribers(call), *_authors(call, drafts=True), *_authors(call, drafts=False)]
    return notices_create(
        kind=CALL_EXTENDED,
        recipients=recipients,
        key=f"extended:{call.pk}:{moment_key(new_deadline)}",
        subject=call,
        data={
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": new_deadline.isoformat(),
            "reason": reason,
        },
    )


def deadline_reminders_plan(*, now: datetime | None = None) -> int:
    """Write the deadline reminders due now. Safe to run as often as one likes: a reminder's
    key names the deadline it is for, so an extended deadline gets its own reminders and the
    old ones are neither repeated nor sent late."""
    now = now or timezone.now()
    created = 0
    offsets = settings.MITMACHEN_REMINDER_DAYS
    for call in Call.objects.open_at(now):
        days = reminder_due(now=now, deadline=call.deadline, offsets_days=offsets)
        if days is None:
            continue
        with transaction.atomic():
            created += notices_create(
                kind=DEADLINE_REMINDER,
                recipients=[*_authors(call, drafts=True), *subscribers(call)],
                key=f"reminder:{call.pk}:{moment_key(call.deadline)}:{days}",
                subject=call,
                data={"days": days, "deadline": call.deadline.isoformat()},
            )
    return created


def notice_call_closed(*, call: Call) -> int:
    """Thank the authors of submitted ideas once the call has closed (once per deadline)."""
    return notices_create(
        kind=CALL_CLOSED,
        recipients=_authors(call, drafts=False),
        key=f"closed:{call.pk}:{moment_key(call.deadline)}",
        subject=call,
        data={"deadline": call.deadline.isoformat()},
    )


# --- How the outbox renders them ----------------------------------------------------------


def _about_idea(notice) -> dict:
    return {"idea": notice.subject, "call": notice.subject.call}


def _about_call(notice) -> dict:
    return {
        "call": notice.subject,
        "data": moments(notice.data, "deadline", "old_deadline", "new_deadline"),
    }


registry.register(
    registry.Kind(
        code=SUBMISSION_CONFIRMATION,
        label=gettext_lazy("Submission confirmation"),
        template="ideas/mail/submission_confirmation",
        subject=lambda notice: (
            _("Your idea %(reference)s has been submitted")
            % {"reference": notice.subject.reference}
        ),
        context=_about_idea,
    )
)
registry.register(
    registry.Kind(
        code=DEADLINE_REMINDER,
        label=gettext_lazy("Deadline reminder"),
        template="ideas/mail/deadline_reminder",
        subject=lambda notice: (
            _("Reminder: the call “%(call)s” closes soon") % {"call": notice.subject.title}
        ),
        context=_about_call,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=CALL_EXTENDED,
        label=gettext_lazy("Deadline extended"),
        template="ideas/mail/call_extended",
        subject=lambda notice: (
            _("The deadline of “%(call)s” has been extended") % {"call": notice.subject.title}
        ),
        context=_about_call,
        optional=True,
    )
)
registry.register(
    registry.Kind(
        code=CALL_CLOSED,
        label=gettext_lazy("Call closed"),
        template="ideas/mail/call_closed",
        subject=lambda notice: (
            _("Thank you: the call “%(call)s” has closed") % {"call": notice.subject.title}
        ),
        context=_about_call,
        optional=True,
    )
)
