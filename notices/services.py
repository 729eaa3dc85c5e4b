"""Writing notices to the outbox, subscriptions, opting out and the retention purge.

A service that causes a notice calls `notices_create` in its own transaction; after the commit
a task is queued, and a beat sweep every minute sends whatever is still pending
(`notices.outbox`). A broker outage or a crashed worker therefore delays a notice but does not
lose it, and the unique `dedupe_key` keeps the same notice from being written twice.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from audit.services import audit_write

from . import registry, tasks
from .models import Notice, NoticeOptOut, NoticeState, Subscription
from .tokens import unsubscribe_read

logger = logging.getLogger(__name__)

SUBSCRIPTION_CONFIRM = "subscription_confirm"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = "de"
    user_id: int | None = None
    subscription_id: int | None = None


def user_recipient(user) -> Recipient:
    return Recipient(email=user.email, language=user.language, user_id=user.pk)


# --- Pure rules ---------------------------------------------------------------------------


def moment_key(moment: datetime) -> str:
    """A moment as it appears in dedupe keys (UTC, to the minute)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M")


# --- Writing notices ----------------------------------------------------------------------


def _opted_out(emails: Iterable[str], kind: str) -> set[str]:
    if not registry.kind(kind).optional:
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
    subject: Model | None = None,
    data: dict | None = None,
) -> int:
    """Write one notice of a registered kind per recipient (deduplicated by address and by
    `key`) about `subject`, in the caller's transaction, and queue their sending after the
    commit. Addresses that opted out of an optional kind are left out. Returns how many
    notices were new. Raises KeyError for a kind nobody registered."""
    registry.kind(kind)
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.email:
            unique.setdefault(recipient.email.lower(), recipient)
    skipped = _opted_out(unique, kind)
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    notices = [
        Notice(
            kind=kind,
            email=email,
            language=recipient.language or settings.LANGUAGE_CODE,
            recipient_id=recipient.user_id,
            subscription_id=recipient.subscription_id,
            subject_type=subject_type,
            subject_id=subject.pk if subject is not None else None,
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
    try:
        tasks.notices_sweep.delay()
    except Exception:  # the broker is down; the outbox keeps the notices
        logger.warning("Could not queue the notice sweep; beat will send them.", exc_info=True)


def notices_cancel(
    *, subject: Model, kinds: Iterable[str], emails: Iterable[str] | None = None
) -> int:
    """Withdraw pending notices of these kinds about `subject` (to these addresses only, if
    given): they will not be sent. Returns how many were withdrawn."""
    pending = Notice.objects.about(subject).filter(kind__in=list(kinds), state=NoticeState.PENDING)
    if emails is not None:
        pending = pending.filter(email__in=list(emails))
    return pending.update(state=NoticeState.CANCELLED)


def notices_delete(*, subjects: Iterable[Model], emails: Iterable[str] | None = None) -> int:
    """Delete the mails about these objects (to these addresses only, if given), sent or
    not: what the retention rules and erasures of the apps call."""
    by_type: dict[ContentType, list[int]] = {}
    for subject in subjects:
        by_type.setdefault(ContentType.objects.get_for_model(subject), []).append(subject.pk)
    if not by_type:
        return 0
    about = Q()
    for subject_type, pks in by_type.items():
        about |= Q(subject_type=subject_type, subject_id__in=pks)
    mails = Notice.objects.filter(about)
    if emails is not None:
        mails = mails.filter(email__in=list(emails))
    return mails.delete()[0]


def notices_resend(*, notices: Iterable[Notice], by=None) -> int:
    """Put notices (failed or sent) back in the queue; the sweep sends them again. Staff's
    resending is audited."""
    ids = [notice.pk for notice in notices]
    with transaction.atomic():
        count = Notice.objects.filter(pk__in=ids).update(
            state=NoticeState.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now()
        )
        if by is not None and count:
            audit_write(action="notices.notice.resent", by=by, notices=ids[:1000], count=count)
        transaction.on_commit(enqueue_sweep)
    return count


# --- Subscriptions and opting out ----------------------------------------------------------


def subscribers(subject: Model) -> list[Recipient]:
    """Everyone with a confirmed, active subscription to `subject`."""
    return [
        Recipient(
            email=sub.email, language=sub.language, user_id=sub.user_id, subscription_id=sub.pk
        )
        for sub in Subscription.objects.about(subject).active()
    ]


def subscription_request(*, subject: Model, email: str, user=None, language: str = "de") -> bool:
    """Start a subscription to an object's notices; it becomes active once the address owner
    confirms the link we mail (at most one such mail per address and day). Returns False
    when the address is already subscribed and confirmed."""
    email = email.strip().lower()
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            email=email,
            defaults={
                "user": user if user and user.is_authenticated else None,
                "language": language,
            },
        )
        if subscription.is_active:
            return False
        if not created:
            # A new request: the retention period of unconfirmed or ended subscriptions
            # (subscriptions_purge) starts again from now.
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            subscription.created_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at", "confirmed_at", "created_at"])
        notices_create(
            kind=SUBSCRIPTION_CONFIRM,
            recipients=[
                Recipient(email=email, language=language, subscription_id=subscription.pk)
            ],
            key=f"subscribe:{subscription.pk}:{timezone.localdate().isoformat()}",
            subject=subject,
        )
    return True


def subscription_follow(*, subject: Model, user, again: bool = True) -> Subscription | None:
    """An account holder follows an object with their (verified) login address: active at
    once, no confirmation mail. With `again=False` an ended subscription stays ended (the
    person chose to stop following) and None is returned."""
    email = user.email.strip().lower()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            email=email,
            defaults={"user": user, "language": user.language, "confirmed_at": timezone.now()},
        )
        if created or subscription.is_active:
            return subscription
        if subscription.unsubscribed_at and not again:
            return None
        subscription.user = user
        subscription.confirmed_at = subscription.confirmed_at or timezone.now()
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["user", "confirmed_at", "unsubscribed_at"])
    return subscription


def subscription_unfollow(*, subject: Model, user) -> bool:
    """End an account holder's subscription to an object. Without one, an ended one is
    recorded: it says they do not want to follow (an idea's author follows it without a
    subscription). False if they were not following."""
    email = user.email.strip().lower()
    subscription, created = Subscription.objects.get_or_create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        email=email,
        defaults={"user": user, "language": user.language, "unsubscribed_at": timezone.now()},
    )
    if created or subscription.unsubscribed_at is not None:
        return created
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["unsubscribed_at"])
    return True


def subscription_confirm(*, token: str) -> Subscription | None:
    """Confirm (or renew) a subscription by the token of its link; None for an unknown one."""
    subscription = Subscription.objects.filter(token=token).first()
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
    with transaction.atomic():
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


def subscriptions_end(*, subscriptions: Iterable[Subscription], by) -> int:
    """Staff end subscriptions on the person's behalf (a request by phone or letter); each is
    audited. The pending mails to them are withdrawn."""
    count = 0
    with transaction.atomic():
        for subscription in Subscription.objects.select_for_update().filter(
            pk__in=[subscription.pk for subscription in subscriptions],
            unsubscribed_at__isnull=True,
        ):
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
            Notice.objects.filter(subscription=subscription, state=NoticeState.PENDING).update(
                state=NoticeState.CANCELLED
            )
            audit_write(action="notices.subscription.ended", by=by, subject=subscription)
            count += 1
    return count


def notice_preferences_set(*, user, kinds_wanted: Iterable[str]) -> None:
    """Record which optional notices an account holder wants."""
    wanted = set(kinds_wanted)
    with transaction.atomic():
        NoticeOptOut.objects.filter(email=user.email, kind__in=wanted).delete()
        for kind in registry.optional_kinds():
            if kind.code not in wanted:
                NoticeOptOut.objects.get_or_create(email=user.email, kind=kind.code)


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
