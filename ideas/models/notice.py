import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .call import Call
from .idea import Idea


class NoticeKind(models.TextChoices):
    SUBMISSION_CONFIRMATION = "submission_confirmation", _("Submission confirmation")
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")
    CALL_EXTENDED = "call_extended", _("Deadline extended")
    STATUS_CHANGED = "status_changed", _("Status of an idea changed")
    FEEDBACK_PUBLISHED = "feedback_published", _("Feedback on an idea published")
    DIGEST = "digest", _("Daily digest of new ideas")
    CALL_CLOSED = "call_closed", _("Call closed")
    SUBSCRIPTION_CONFIRM = "subscription_confirm", _("Confirm subscription")
    DUPLICATE_LINKED = "duplicate_linked", _("Idea marked as a duplicate")
    SHORTLIST_OPENED = "shortlist_opened", _("Shortlist open for review")
    SHORTLIST_CLOSING = "shortlist_closing", _("Shortlist review closes soon")
    # Events (mails from templates/events/mail/, see events.mail).
    EVENT_REGISTRATION_CONFIRM = "event_registration_confirm", _("Confirm event registration")
    EVENT_REGISTERED = "event_registered", _("Event registration received")
    EVENT_MOVED_UP = "event_moved_up", _("Place at an event from the waiting list")
    EVENT_REMINDER = "event_reminder", _("Event reminder the day before")
    EVENT_CHANGED = "event_changed", _("Event changed")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")


# Kinds an account holder may switch off on their account page.
OPTIONAL_KINDS = [
    NoticeKind.DEADLINE_REMINDER,
    NoticeKind.CALL_EXTENDED,
    NoticeKind.STATUS_CHANGED,
    NoticeKind.FEEDBACK_PUBLISHED,
    NoticeKind.DIGEST,
    NoticeKind.CALL_CLOSED,
    NoticeKind.DUPLICATE_LINKED,
    NoticeKind.EVENT_REMINDER,
]

# Kinds about events: rendered by events.mail, with the event's calendar file attached.
EVENT_KINDS = frozenset(
    {
        NoticeKind.EVENT_REGISTRATION_CONFIRM,
        NoticeKind.EVENT_REGISTERED,
        NoticeKind.EVENT_MOVED_UP,
        NoticeKind.EVENT_REMINDER,
        NoticeKind.EVENT_CHANGED,
        NoticeKind.EVENT_CANCELLED,
    }
)


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notice(models.Model):
    """One mail to one recipient, written in the same transaction as the change that causes
    it (a transactional outbox). `dedupe_key` makes writing it twice impossible."""

    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="de")
    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("call"),
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("idea"),
    )
    subscription = models.ForeignKey(
        "Subscription", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("event"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notice_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """Someone, with or without an account, who follows a call's notices by email. Active
    only after the address is confirmed (double opt-in)."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("call")
    )
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    language = models.CharField(_("language"), max_length=8, default="de")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="subscription_unique_email"),
        ]

    def __str__(self):
        return f"{self.email} ({self.call})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NoticeOptOut(models.Model):
    """An address that does not want one kind of notice (from an unsubscribe link or the
    account page)."""

    email = models.EmailField(_("email address"))
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice opt-out")
        verbose_name_plural = _("notice opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="notice_optout_unique"),
        ]

    def __str__(self):
        return f"{self.email}: {self.kind}"
