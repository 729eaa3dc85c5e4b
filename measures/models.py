import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration
from fields.models import ActionField, Quarter
from ideas.models import Call, Idea, Status


class MeasureStatus(models.TextChoices):
    """A measure's way through the strategy; `measures.strategy` says which step follows."""

    IN_QUALIFICATION = "in_qualification", _("In qualification")
    IN_DRAFT = "in_draft", _("In the draft strategy")
    ADOPTED = "adopted", _("Adopted by the council")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    COMPLETED = "completed", _("Completed")
    NOT_PURSUED = "not_pursued", _("Not pursued")


class CostRange(models.TextChoices):
    UNKNOWN = "", _("not yet estimated")
    UP_TO_50K = "up_to_50k", _("up to 50,000 €")
    UP_TO_250K = "up_to_250k", _("50,000 to 250,000 €")
    UP_TO_1M = "up_to_1m", _("250,000 € to 1 million €")
    OVER_1M = "over_1m", _("over 1 million €")


# Ideas an editor may bundle into a measure (the admin's idea picker offers only these).
ELIGIBLE_STATUSES = [Status.QUALIFIED, Status.IN_MEASURE]


class Measure(models.Model):
    """An integrated measure (Maßnahme) that bundles qualified ideas across action fields,
    with its profile (Maßnahmensteckbrief). Its ideas are set by
    `measures.services.measure_save`, which moves them on in the review's workflow; its
    status by `measures.services.measure_status_change`, which publishes a dated update."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="measures", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    goal = models.TextField(_("goal"), blank=True, max_length=2000)
    description = models.TextField(_("description"), blank=True)
    action_fields = models.ManyToManyField(
        ActionField, related_name="measures", blank=True, verbose_name=_("action fields")
    )
    quarters = models.ManyToManyField(
        Quarter,
        related_name="measures",
        blank=True,
        verbose_name=_("quarters"),
        help_text=_("Leave empty for a measure for the whole city."),
    )
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    partners = models.TextField(
        _("partners"), blank=True, max_length=2000, help_text=_("One partner per line.")
    )
    cost_range = models.CharField(
        _("cost range"), max_length=20, blank=True, choices=CostRange.choices
    )
    funding = models.CharField(_("funding"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeasureStatus.choices,
        default=MeasureStatus.IN_QUALIFICATION,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    ideas = models.ManyToManyField(
        Idea,
        through="MeasureIdea",
        related_name="measures",
        blank=True,
        verbose_name=_("source ideas"),
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

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class MeasureIdea(models.Model):
    """A source idea of a measure and what it contributed. The table is the former
    automatic one of `Measure.ideas` (migration 0002)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="sources")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="measure_sources")
    contribution = models.TextField(
        _("contribution"),
        blank=True,
        max_length=1000,
        help_text=_("What this idea brought into the measure (public)."),
    )
    added_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        db_table = "measures_measure_ideas"
        unique_together = [("measure", "idea")]
        verbose_name = _("source idea")
        verbose_name_plural = _("source ideas")

    def __str__(self):
        return str(self.idea)


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("planned for"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class Indicator(models.Model):
    """How the measure's success is measured: a number with a unit, its target and where it
    stands."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class MeasureUpdate(models.Model):
    """A dated, public news item about a measure; a status change always writes one."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="updates")
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    status = models.CharField(
        _("new status"), max_length=20, choices=MeasureStatus.choices, blank=True
    )
    text = models.TextField(_("text"), max_length=4000)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self):
        return self.text[:60]


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An idea's author invited to a workshop (an event) to qualify the idea further. The
    link with `token` works without an account, once, until the event ends; an author with
    neither account nor email address gets a letter (`by_letter`). Written by
    `measures.invitations`; an accepted invitation becomes a registration of the event."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="invitations")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    by_letter = models.BooleanField(_("by letter"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("registration"),
    )

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["idea", "event"], name="invitation_once_per_event")
        ]

    def __str__(self):
        return f"{self.idea} → {self.event}"

    @property
    def audit_label(self) -> str:
        return str(self)


class WorkshopResult(models.Model):
    """What came out of a workshop for one idea: a short public outcome, an optional photo
    of the results (checked and re-encoded like idea images), the next step and the measure
    it fed into. Written by `measures.workshops.workshop_result_save`."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="workshop_results")
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="workshop_results",
        verbose_name=_("workshop"),
    )
    outcome = models.TextField(_("outcome"), max_length=3000)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_results",
        verbose_name=_("measure it fed into"),
    )
    photo = models.ImageField(
        _("photo of the results"), upload_to="workshops/%Y/", blank=True, editable=False
    )
    photo_alt = models.CharField(_("description of the photo"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("workshop result")
        verbose_name_plural = _("workshop results")
        constraints = [
            models.UniqueConstraint(fields=["idea", "event"], name="workshop_result_once")
        ]

    def __str__(self):
        return f"{self.idea} · {self.event}"

    @property
    def audit_label(self) -> str:
        return str(self)
