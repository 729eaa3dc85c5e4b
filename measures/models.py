from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField
from ideas.models import Call, Idea


class Measure(models.Model):
    """An integrated measure (Maßnahme) that bundles qualified ideas across action fields.
    Its ideas are set by `measures.services.measure_save`, which moves them on in the
    review's workflow."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="measures", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    action_fields = models.ManyToManyField(
        ActionField, related_name="measures", blank=True, verbose_name=_("action fields")
    )
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    ideas = models.ManyToManyField(
        Idea, related_name="measures", blank=True, verbose_name=_("source ideas")
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("measures:measure-detail", kwargs={"slug": self.slug})

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title
