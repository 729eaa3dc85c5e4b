"""Sending the outbox: each pending notice is rendered in its recipient's language from the
templates its kind registered, and marked sent in the transaction that holds its row."""

import hashlib
import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from halle_smartcity.city import signature, site_name
from halle_smartcity.site import absolute_url

from . import registry
from .models import Notice, NoticeState
from .tokens import unsubscribe_token


def moments(data: dict, *names: str) -> dict:
    """`data` with the named ISO timestamps read back into datetimes (for the templates)."""
    data = dict(data)
    for name in names:
        if data.get(name):
            data[name] = datetime.fromisoformat(data[name])
    return data


logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after a failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def notice_render(notice: Notice) -> EmailMultiAlternatives:
    """The mail of a notice, in the recipient's language, with a one-click unsubscribe.
    Raises KeyError for a kind nobody registered."""
    kind = registry.kind(notice.kind)
    with translation.override(notice.language or settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "subject": notice.subject,
            "data": dict(notice.data),
            "recipient": notice.recipient,
            "site_name": site_name(),
            "signature": signature(),
            "site_url": settings.MITMACHEN_SITE_URL.rstrip("/"),
            "unsubscribe_url": absolute_url(
                reverse("notices:unsubscribe", args=[unsubscribe_token(notice)])
            ),
        }
        if kind.context is not None:
            context.update(kind.context(notice))
        title = str(kind.subject(notice))
        text = render_to_string(f"{kind.template}.txt", context)
        html = render_to_string(f"{kind.template}.html", context)
        attachments = kind.attachments(notice) if kind.attachments is not None else []
    domain = settings.MITMACHEN_SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    digest = hashlib.sha256(notice.dedupe_key.encode()).hexdigest()[:16]
    message = EmailMultiAlternatives(
        subject=title,
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
            .select_related("recipient", "subscription")
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
