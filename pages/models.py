from django.db import models
from django.utils.translation import gettext_lazy as _

from .markup import HELP_TEXT


class Slug(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    IMPRINT = "imprint", _("Imprint")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    NETIQUETTE = "netiquette", _("Netiquette")


class Page(models.Model):
    """A legal page the editors keep up to date (privacy notice, imprint, accessibility
    statement), in German and, optionally, English. The body is plain text with a minimal
    markup (see pages.markup): never HTML."""

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    body_de = models.TextField(_("text (German)"), max_length=50000, help_text=HELP_TEXT)
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the English page shows the German text."),
    )
    body_en = models.TextField(_("text (English)"), max_length=50000, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def __str__(self):
        return self.title_de

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.slug

    def in_language(self, language: str) -> tuple[str, str]:
        """The title and body in a language, German where no English text was written."""
        if language == "en" and self.title_en.strip() and self.body_en.strip():
            return self.title_en, self.body_en
        return self.title_de, self.body_de
