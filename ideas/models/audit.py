from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .call import Call
from .idea import Idea


class AuditEntry(models.Model):
    """Who changed what, when, from what to what, and why. Append-only: written by the
    services, never changed or deleted."""

    action = models.CharField(_("action"), max_length=64)
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("idea"),
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("call"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["idea", "-created_at"], name="audit_idea")]

    def __str__(self):
        return f"{self.action} ({self.created_at:%d.%m.%Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted.")
