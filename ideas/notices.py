"""Notices by mail through a transactional outbox.

A service that causes a notice writes a `Notice` row in its own transaction; after the commit
a task is queued, and a beat sweep every minute sends whatever is still pending. A broker
outage or a crashed worker therefore delays a notice but does not lose it, and the unique
`dedupe_key` keeps the same notice from being written twice.
"""

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role

from .models import (
    EVENT_KINDS,
    OPTIONAL_KINDS,
    Call,
    Idea,
    Notice,
    NoticeKind,
    NoticeOptOut,
    NoticeState,
    Status,
    Subscription,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "mitmachen.unsubscribe"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = "de"
    user_id: int | None = None
    subscription_id: int | None = None


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


def retry_delay(attempts: int) -> timedelta:
    """Backoff after a failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _moment_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M")


# --- Writing notices ----------------------------------------------------------------------


def _opted_out(emails: Iterable[str], kind: str) -> set[str]:
    if kind not in OPTIONAL_KINDS:
        return set()
    return set(
        NoticeOptOut.objects.filter(kind=kind, email__in=list(emails)).values_list(
            "email", flat=True
        )
    )


def notices_create(
    *,
    kind: str,
    recipients: Iterable[Recipient],
    key: str,
    call: Call | None = None,
    idea: Idea | None = None,
    event=None,
    data: dict | None = None,
) -> int:
    """Write one notice per recipient (deduplicated by address and by `key`) in the caller's
    transaction, and queue their sending after the commit. Returns how many were new."""
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.email:
            unique.setdefault(recipient.email.lower(), recipient)
    skipped = _opted_out(unique, kind)
    notices = [
        Notice(
            kind=kind,
            email=email,
            language=recipient.language or settings.LANGUAGE_CODE,
            recipient_id=recipient.user_id,
            subscription_id=recipient.subscription_id,
            call=call,
            idea=idea,
            event=event,
            data=data or {},
            dedupe_key=f"{key}:{email}"[:255],
        )
        for email, recipient in unique.items()
        if email not in skipped
    ]
    if not notices:
        return 0
    keys = [notice.dedupe_key for notice in notices]
    existing = set(Notice.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    created = len(set(keys) - existing)
    if created:
        transaction.on_commit(enqueue_sweep)
    return created


def enqueue_sweep() -> None:
    """Ask a worker to send pending notices now. Without a broker the beat sweep does it a
    minute later: a failure here must never fail the change that caused the notice."""
    from .tasks import notices_sweep

    try:
        notices_sweep.delay()
    except Exception:  # the broker is down; the outbox keeps the notices
        logger.warning("Could not queue the notice sweep; beat will send them.", exc_info=True)


def _user_recipient(user) -> Recipient:
    return Recipient(email=user.email, language=user.language, user_id=user.pk)


def _idea_recipients(idea: Idea) -> list[Recipient]:
    """Who hears about an idea: its author, or whoever handed it in on paper with an email."""
    if idea.author is not None:
        return [_user_recipient(idea.author)]
    if idea.submitter_email:
        return [Recipient(email=idea.submitter_email)]
    return []


def _subscribers(call: Call) -> list[Recipient]:
    return [
        Recipient(
            email=sub.email, language=sub.language, user_id=sub.user_id, subscription_id=sub.pk
        )
        for sub in call.subscriptions.active()
    ]


def _authors(call: Call, *, drafts: bool) -> list[Recipient]:
    ideas = call.ideas.filter(author__isnull=False).select_related("author")
    ideas = ideas.filter(status=Status.DRAFT) if drafts else ideas.exclude(status=Status.DRAFT)
    return [_user_recipient(idea.author) for idea in ideas.distinct()]


def notice_submission_confirmation(*, idea: Idea) -> int:
    if idea.author is None:
        return 0
    return notices_create(
        kind=NoticeKind.SUBMISSION_CONFIRMATION,
        recipients=[_user_recipient(idea.author)],
        key=f"submitted:{idea.pk}",
        call=idea.call,
        idea=idea,
    )


def notice_call_extended(
    *, call: Call, old_deadline: datetime, new_deadline: datetime, reason: str
) -> int:
    """Tell subscribers, draft holders and authors of submitted ideas of a new deadline."""
    recipients = [*_subscribers(call), *_authors(call, drafts=True), *_authors(call, drafts=False)]
    return notices_create(
        kind=NoticeKind.CALL_EXTENDED,
        recipients=recipients,
        key=f"extended:{call.pk}:{_moment_key(new_deadline)}",
        call=call,
        data={
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": new_deadline.isoformat(),
            "reason": reason,
        },
    )


def notice_idea_status_changed(
    *, idea: Idea, old_status: str, new_status: str, at: datetime
) -> int:
    """Tell the author that their idea moved on (called by the status workflow)."""
    return notices_create(
        kind=NoticeKind.STATUS_CHANGED,
        recipients=_idea_recipients(idea),
        key=f"status:{idea.pk}:{new_status}:{_moment_key(at)}",
        call=idea.call,
        idea=idea,
        data={"old_status": old_status, "new_status": new_status},
    )


def notice_feedback_published(*, idea: Idea, at: datetime) -> int:
    """Tell the author that the city published its feedback on their idea."""
    return notices_create(
        kind=NoticeKind.FEEDBACK_PUBLISHED,
        recipients=_idea_recipients(idea),
        key=f"feedback:{idea.pk}:{_moment_key(at)}",
        call=idea.call,
        idea=idea,
    )


def notice_duplicate_linked(*, idea: Idea, original: Idea, at: datetime) -> int:
    """Tell both authors that one idea was marked as a duplicate of the other."""
    recipients = [*_idea_recipients(idea), *_idea_recipients(original)]
    return notices_create(
        kind=NoticeKind.DUPLICATE_LINKED,
        recipients=recipients,
        key=f"duplicate:{idea.pk}:{original.pk}:{_moment_key(at)}",
        call=idea.call,
        idea=idea,
        data={"original_id": original.pk},
    )


# --- Planning what beat computes from the current data -------------------------------------


def notices_plan(*, now: datetime | None = None) -> int:
    """Write the deadline reminders and call-closed notices due now. Safe to run as often as
    one likes: a reminder's key names the deadline it is for, so an extended deadline gets
    its own reminders and the old ones are neither repeated nor sent late."""
    now = now or timezone.now()
    created = 0
    offsets = settings.MITMACHEN_REMINDER_DAYS
    for call in Call.objects.open_at(now):
        days = reminder_due(now=now, deadline=call.deadline, offsets_days=offsets)
        if days is None:
            continue
        with transaction.atomic():
            created += notices_create(
                kind=NoticeKind.DEADLINE_REMINDER,
                recipients=[*_authors(call, drafts=True), *_subscribers(call)],
                key=f"reminder:{call.pk}:{_moment_key(call.deadline)}:{days}",
                call=call,
                data={"days": days, "deadline": call.deadline.isoformat()},
            )
    recently_closed = Call.objects.published().filter(
        deadline__lte=now, deadline__gt=now - timedelta(days=2)
    )
    for call in recently_closed:
        with transaction.atomic():
            created += notices_create(
                kind=NoticeKind.CALL_CLOSED,
                recipients=_authors(call, drafts=False),
                key=f"closed:{call.pk}:{_moment_key(call.deadline)}",
                call=call,
                data={"deadline": call.deadline.isoformat()},
            )
    return created


def notices_plan_digest(*, now: datetime | None = None) -> int:
    """The daily digest of the last 24 hours' new ideas, to every editor, if there were any."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    if not Idea.objects.published().filter(submitted_at__gte=since, submitted_at__lt=now).exists():
        return 0
    editors = get_user_model().objects.filter(groups__name=Role.EDITOR, is_active=True)
    with transaction.atomic():
        return notices_create(
            kind=NoticeKind.DIGEST,
            recipients=[_user_recipient(user) for user in editors.distinct()],
            key=f"digest:{timezone.localdate(now).isoformat()}",
            data={"since": since.isoformat(), "until": now.isoformat()},
        )


# --- Sending ------------------------------------------------------------------------------


def unsubscribe_token(notice: Notice) -> str:
    return signing.dumps(
        [notice.email, notice.kind, notice.subscription_id], salt=UNSUBSCRIBE_SALT
    )


def unsubscribe_read(token: str) -> tuple[str, str, int | None]:
    """Raises signing.BadSignature for a tampered token."""
    email, kind, subscription_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return email, kind, subscription_id


def _absolute(path: str) -> str:
    return settings.MITMACHEN_SITE_URL.rstrip("/") + path


SUBJECTS = {
    NoticeKind.SUBMISSION_CONFIRMATION: lambda n: (
        _("Your idea %(reference)s has been submitted") % {"reference": n.idea.reference}
    ),
    NoticeKind.DEADLINE_REMINDER: lambda n: (
        _("Reminder: the call “%(call)s” closes soon") % {"call": n.call.title}
    ),
    NoticeKind.CALL_EXTENDED: lambda n: (
        _("The deadline of “%(call)s” has been extended") % {"call": n.call.title}
    ),
    NoticeKind.STATUS_CHANGED: lambda n: (
        _("News about your idea %(reference)s") % {"reference": n.idea.reference}
    ),
    NoticeKind.FEEDBACK_PUBLISHED: lambda n: (
        _("Feedback on your idea %(reference)s") % {"reference": n.idea.reference}
    ),
    NoticeKind.DIGEST: lambda n: _("New ideas of the last 24 hours"),
    NoticeKind.CALL_CLOSED: lambda n: (
        _("Thank you: the call “%(call)s” has closed") % {"call": n.call.title}
    ),
    NoticeKind.SUBSCRIPTION_CONFIRM: lambda n: (
        _("Please confirm your subscription to “%(call)s”") % {"call": n.call.title}
    ),
    NoticeKind.DUPLICATE_LINKED: lambda n: (
        _("Idea %(reference)s marked as a duplicate") % {"reference": n.idea.reference}
    ),
    NoticeKind.SHORTLIST_OPENED: lambda n: _("A shortlist is open for your review"),
    NoticeKind.SHORTLIST_CLOSING: lambda n: _("The review of a shortlist closes in two days"),
}


def _event_mail():
    # events builds on ideas; imported when needed, so the apps import one way only.
    from events import mail

    return mail


def _context(notice: Notice) -> dict:
    data = dict(notice.data)
    for name in ("deadline", "old_deadline", "new_deadline", "since", "until", "closes_at"):
        if name in data:
            data[name] = datetime.fromisoformat(data[name])
    context = {
        "notice": notice,
        "call": notice.call,
        "idea": notice.idea,
        "data": data,
        "recipient": notice.recipient,
        "site_name": settings.MITMACHEN_SITE_NAME,
        "site_url": settings.MITMACHEN_SITE_URL.rstrip("/"),
        "unsubscribe_url": _absolute(
            reverse("ideas:unsubscribe", args=[unsubscribe_token(notice)])
        ),
    }
    if "shortlist_id" in data:
        from .models import Shortlist

        context["shortlist"] = Shortlist.objects.filter(pk=data["shortlist_id"]).first()
    if notice.kind == NoticeKind.DUPLICATE_LINKED:
        context["original"] = Idea.objects.filter(pk=data.get("original_id")).first()
    if notice.kind == NoticeKind.DIGEST:
        ideas = (
            Idea.objects.published()
            .filter(submitted_at__gte=data["since"], submitted_at__lt=data["until"])
            .select_related("primary_field", "call")
            .order_by("submitted_at")
        )
        context["ideas"] = list(ideas[:50])
        context["idea_count"] = ideas.count()
    if notice.kind in EVENT_KINDS:
        context.update(_event_mail().mail_context(notice))
    if notice.kind == NoticeKind.SUBSCRIPTION_CONFIRM and notice.subscription_id:
        context["confirm_url"] = _absolute(
            reverse("ideas:subscription-confirm", args=[notice.subscription.token])
        )
    return context


def notice_render(notice: Notice) -> EmailMultiAlternatives:
    """The mail of a notice, in the recipient's language, with a one-click unsubscribe."""
    with translation.override(notice.language or settings.LANGUAGE_CODE):
        context = _context(notice)
        attachments = []
        if notice.kind in EVENT_KINDS:
            folder = "events/mail"
            subject = str(_event_mail().mail_subject(notice))
            attachments = _event_mail().mail_attachments(notice)
        else:
            folder = "ideas/mail"
            subject = str(SUBJECTS[notice.kind](notice))
        text = render_to_string(f"{folder}/{notice.kind}.txt", context)
        html = render_to_string(f"{folder}/{notice.kind}.html", context)
    domain = settings.MITMACHEN_SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    digest = hashlib.sha256(notice.dedupe_key.encode()).hexdigest()[:16]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notice.email],
        headers={
            # The same notice always carries the same Message-ID, so a mail system can
            # recognise a repeat.
            "Message-ID": f"<notice-{notice.pk}-{digest}@{domain}>",
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def notice_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """Send one pending notice, if it is due and no other worker holds it.

    The row stays locked while the mail goes out and is marked sent in the same
    transaction: a worker killed before the commit leaves it pending for the next sweep,
    and no two workers ever send the same notice. Only a crash in the moment between the
    mail server's acceptance and the commit repeats a mail; it then carries the same
    Message-ID. A refused delivery is retried with backoff and ends in the failed state.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("call", "idea", "recipient", "subscription", "event")
            .filter(pk=notice_id, state=NoticeState.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if notice is None:
            return False
        notice.attempts += 1
        try:
            message = notice_render(notice)
        except Exception as error:
            # A notice that cannot be rendered must not block the ones behind it.
            logger.exception("Notice %s could not be rendered", notice.pk)
            notice.state = NoticeState.FAILED
            notice.last_error = f"{type(error).__name__}: {error}"[:2000]
            notice.save(update_fields=["attempts", "last_error", "state"])
            return False
        try:
            message.send()
        except (SMTPException, OSError) as error:
            notice.last_error = f"{type(error).__name__}: {error}"[:2000]
            if notice.attempts >= settings.MITMACHEN_NOTICE_MAX_ATTEMPTS:
                notice.state = NoticeState.FAILED
                logger.error("Notice %s failed for good: %s", notice.pk, notice.last_error)
            else:
                notice.next_attempt_at = now + retry_delay(notice.attempts)
            notice.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        notice.state = NoticeState.SENT
        notice.sent_at = timezone.now()
        notice.last_error = ""
        notice.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    return True


def notices_send_pending(*, limit: int = 500, now: datetime | None = None) -> int:
    """Send due pending notices, oldest first; returns how many went out."""
    now = now or timezone.now()
    due = Notice.objects.filter(state=NoticeState.PENDING, next_attempt_at__lte=now)
    sent = 0
    for notice_id in due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit]:
        sent += notice_send(notice_id=notice_id, now=now)
    return sent


def notices_resend(*, notices: Iterable[Notice]) -> int:
    """Put notices (failed or sent) back in the queue; the sweep sends them again."""
    ids = [notice.pk for notice in notices]
    with transaction.atomic():
        count = Notice.objects.filter(pk__in=ids).update(
            state=NoticeState.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now()
        )
        transaction.on_commit(enqueue_sweep)
    return count


# --- Subscriptions and opting out ----------------------------------------------------------


def subscription_request(*, call: Call, email: str, user=None, language: str = "de") -> bool:
    """Start a subscription to a call's notices; it becomes active once the address owner
    confirms the link we mail (at most one such mail per address and day). Returns False
    when the address is already subscribed and confirmed."""
    email = email.strip().lower()
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            call=call,
            email=email,
            defaults={
                "user": user if user and user.is_authenticated else None,
                "language": language,
            },
        )
        if subscription.is_active:
            return False
        if not _created:
            # A new request: the retention period of unconfirmed or ended subscriptions
            # (accounts.tasks.personal_data_purge) starts again from now.
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            subscription.created_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at", "confirmed_at", "created_at"])
        notices_create(
            kind=NoticeKind.SUBSCRIPTION_CONFIRM,
            recipients=[
                Recipient(email=email, language=language, subscription_id=subscription.pk)
            ],
            key=f"subscribe:{subscription.pk}:{timezone.localdate().isoformat()}",
            call=call,
        )
    return True


def subscription_confirm(*, token: str) -> Subscription | None:
    subscription = Subscription.objects.filter(token=token).select_related("call").first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None or subscription.unsubscribed_at:
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscription


def unsubscribe(*, token: str) -> tuple[str, str]:
    """Follow an unsubscribe link: end the subscription it came from, or opt the address out
    of that kind of notice. Using a link again changes nothing.

    Raises signing.BadSignature for a tampered link.
    """
    email, kind, subscription_id = unsubscribe_read(token)
    if subscription_id:
        Subscription.objects.filter(pk=subscription_id, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    else:
        NoticeOptOut.objects.get_or_create(email=email, kind=kind)
    Notice.objects.filter(email=email, kind=kind, state=NoticeState.PENDING).update(
        state=NoticeState.CANCELLED
    )
    return email, kind


def notice_preferences_set(*, user, kinds_wanted: Iterable[str]) -> None:
    """Record which optional notices an account holder wants."""
    wanted = set(kinds_wanted)
    with transaction.atomic():
        NoticeOptOut.objects.filter(email=user.email, kind__in=wanted).delete()
        for kind in OPTIONAL_KINDS:
            if kind not in wanted:
                NoticeOptOut.objects.get_or_create(email=user.email, kind=kind)


def subscriptions_purge(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Delete subscriptions that ended (unsubscribed) or were never confirmed, once
    MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS have passed, with the mails that went to them. The
    opt-outs stay: they are what keeps an address from being mailed again. Idempotent,
    batched. Returns how many subscriptions went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS)
    due = Subscription.objects.filter(
        Q(unsubscribed_at__lt=cutoff) | Q(confirmed_at__isnull=True, created_at__lt=cutoff)
    )
    purged = 0
    while True:
        pks = list(due.order_by("pk").values_list("pk", flat=True)[:batch])
        if not pks:
            return purged
        with transaction.atomic():
            Notice.objects.filter(subscription_id__in=pks).delete()
            purged += (
                Subscription.objects.filter(pk__in=pks)
                .delete()[1]
                .get(Subscription._meta.label, 0)
            )
