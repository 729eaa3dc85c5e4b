"""The review of submitted ideas: the criteria catalogue of a call (versioned), the assessors
asked to assess an idea, and their scores. The result lives on the idea (Idea.score and
friends), written by `review.assessments.idea_result_refresh`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Call, Idea


class CriteriaCatalogue(models.Model):
    """A call's criteria catalogue (Kriterienkatalog) in one version. Once an assessment
    uses it, it is frozen: a change makes a new version."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="catalogues", verbose_name=_("call")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.00"),
        help_text=_(
            "An idea qualifies when it meets every knock-out criterion and its "
            "weighted score reaches this value."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["call", "-version"]
        verbose_name = _("criteria catalogue")
        verbose_name_plural = _("criteria catalogues")
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="catalogue_call_version")
        ]

    def __str__(self):
        return f"{self.call} – v{self.version}"

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return f"v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return Score.objects.filter(criterion__catalogue=self).exists()


class Criterion(models.Model):
    catalogue = models.ForeignKey(
        CriteriaCatalogue,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("catalogue"),
    )
    code = models.CharField(_("code"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    knockout = models.BooleanField(
        _("knock-out criterion"),
        default=False,
        help_text=_("Met or not met; an idea that fails it does not qualify."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["catalogue", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class Assignment(models.Model):
    """An assessor asked to assess an idea. Recusal (conflict of interest) keeps the row."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("idea")
    )
    # Null once the assessor deleted their account: the assessment stays, without the person.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("assessor"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    recused_at = models.DateTimeField(_("recused"), null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)

    class Meta:
        ordering = ["idea", "assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["idea", "assessor"], name="assignment_unique")
        ]
        indexes = [models.Index(fields=["assessor", "recused_at"], name="assignment_assessor")]

    def __str__(self):
        return f"{self.idea} – {self.assessor}"


class Assessment(models.Model):
    """One assessor's scores for one idea against one catalogue version."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="assessment"
    )
    catalogue = models.ForeignKey(
        CriteriaCatalogue,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("catalogue"),
    )
    comment = models.TextField(_("overall reason"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class DuplicateDismissal(models.Model):
    """An editor's "not a duplicate" for a pair of ideas: the pair is not suggested again.
    Stored once per pair, the lower idea id first."""

    first = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed duplicate suggestion")
        verbose_name_plural = _("dismissed duplicate suggestions")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="review_dismissal_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="review_dismissal_order"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


class Theme(models.Model):
    """A theme across action fields: ideas of one call that share characteristic words, as a
    starting point for an integrated measure. Computed by a task (`review.themes`)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    words = models.JSONField(_("characteristic words"), default=list)
    ideas = models.ManyToManyField(Idea, related_name="+", verbose_name=_("ideas"))
    field_count = models.PositiveSmallIntegerField(_("action fields"), default=0)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["-field_count", "id"]
        verbose_name = _("theme across action fields")
        verbose_name_plural = _("themes across action fields")

    def __str__(self):
        return ", ".join(self.words)


class ThemeRun(models.Model):
    """One computation of a call's themes, with its progress for the admin."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("computation of themes")
        verbose_name_plural = _("computations of themes")

    def __str__(self):
        return f"{self.call_id}: {self.state} {self.progress} %"
