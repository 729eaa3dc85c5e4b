from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1f5c99."))


class ActionFieldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ActionField(models.Model):
    """An action field (Handlungsfeld) ideas are sorted by."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The stable key of the city folder: renaming keeps the ideas."),
    )
    description = models.TextField(_("short description"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1f5c99", validators=[hex_colour]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ActionFieldQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("action field")
        verbose_name_plural = _("action fields")

    def __str__(self):
        # Forms and filters label the choices with this: the English name on the English site.
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.name


class District(models.Model):
    """A city district (Stadtbezirk)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    code = models.CharField(_("official code"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.name


class Quarter(models.Model):
    """A statistical unit of the city: a Stadtteil, or a Stadtviertel within one."""

    class Kind(models.TextChoices):
        STADTTEIL = "Stadtteil", _("Quarter")
        STADTVIERTEL = "Stadtviertel", _("Neighbourhood within a quarter")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="quarters", verbose_name=_("district")
    )
    code = models.CharField(_("official code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STADTTEIL)
    part_of = models.CharField(
        _("part of"),
        max_length=120,
        blank=True,
        help_text=_("The quarter a neighbourhood belongs to."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")

    def __str__(self):
        if self.part_of:
            return f"{self.name} ({self.part_of})"
        return self.name

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.name
