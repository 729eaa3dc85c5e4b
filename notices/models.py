"""The outbox and who gets what. The notices app knows no other app: a notice's subject (an
idea, a call, an event) and a subscription's subject are generic relations, and the kinds of
notices are registered by the apps that write them (notices.registry)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def about(self, subject):
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )


class Subscription(models.Model):
    """Someone, with or without an account, who follows an object's notices by email (a
    call's news, say). Active only after the address is confirmed (double opt-in)."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    subject_id = models.PositiveBigIntegerField(_("subscribed to"))
    subject = GenericForeignKey("subject_type", "subject_id")
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
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "email"], name="subscription_unique_email"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.subject})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NoticeQuerySet(models.QuerySet):
    def about(self, subject):
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )


class Notice(models.Model):
    """One mail to one recipient, written in the same transaction as the change that causes
    it (a transactional outbox). `dedupe_key` makes writing it twice impossible."""

    kind = models.CharField(_("kind"), max_length=40)
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
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    subject_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
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

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notice_due"),
            models.Index(fields=["subject_type", "subject_id"], name="notice_subject"),
        ]

    def __str__(self):
        return f"{self.kind_label} → {self.email}"

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)


class NoticeOptOut(models.Model):
    """An address that does not want one kind of notice (from an unsubscribe link or the
    account page)."""

    email = models.EmailField(_("email address"))
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice opt-out")
        verbose_name_plural = _("notice opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="notice_optout_unique"),
        ]

    def __str__(self):
        return f"{self.email}: {registry.label(self.kind)}"
