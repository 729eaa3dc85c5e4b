"""Events of the participation process, registrations for them, and the process timeline
(milestones and publications)."""

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fields.models import ActionField, Quarter
from ideas.models import Idea


class EventKind(models.TextChoices):
    INFO_SESSION = "info_session", _("Information session")
    CREATIVE_WORKSHOP = "creative_workshop", _("Creative workshop")
    DESIGN_SPRINT = "design_sprint", _("Design sprint")
    EXPERT_WORKSHOP = "expert_workshop", _("Expert workshop")
    FEEDBACK = "feedback", _("Feedback event")
    FORUM = "forum", _("Forum")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting email confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


# Registrations that hold a place or wait for one: the people told of changes.
ACTIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)

    def upcoming(self, moment: datetime):
        """Events that have not ended yet (one that is running counts as upcoming)."""
        return self.filter(ends_at__gt=moment)

    def past(self, moment: datetime):
        return self.filter(ends_at__lte=moment)

    def with_counts(self):
        """Annotate `seats_taken` and `waiting` in the same query."""
        return self.annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )


class Event(models.Model):
    """An event of the participation process: an information session, a workshop, a forum.

    `sequence` and `uid` make the event's iCalendar entry: the UID never changes, the
    sequence is raised by `events.services.event_save` on every change, so calendars that
    imported the event replace their copy. Only the services write `cancelled_at`.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    format = models.CharField(
        _("format"), max_length=12, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    accessibility_notes = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, toilets, hearing loop, sign language, quiet room …"),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to registered participants with a confirmed place."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_enabled = models.BooleanField(
        _("registration on this site"),
        default=True,
        help_text=_("Off: the event needs no registration."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: registration is open until the event starts."),
    )
    call = models.ForeignKey(
        "ideas.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("call"),
    )
    action_fields = models.ManyToManyField(
        ActionField, related_name="events", blank=True, verbose_name=_("action fields")
    )
    quarters = models.ManyToManyField(
        Quarter, related_name="events", blank=True, verbose_name=_("quarters")
    )
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Off: an internal event, seen by staff only.")
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    # Mails about the event go with it (notices app).
    notices = GenericRelation(
        "notices.Notice", content_type_field="subject_type", object_id_field="subject_id"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["public", "ends_at", "starts_at"], name="event_public_ends"),
            models.Index(fields=["public", "starts_at"], name="event_public_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="events_event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline__isnull=True)
                | models.Q(registration_deadline__lte=models.F("starts_at")),
                name="events_event_deadline_not_after_start",
                violation_error_message=_(
                    "The registration deadline must not lie after the start."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="events_event_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or empty."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    @property
    def registration_closes_at(self) -> datetime:
        return self.registration_deadline or self.starts_at

    def has_started(self, moment: datetime | None = None) -> bool:
        return self.starts_at <= (moment or timezone.now())

    def has_ended(self, moment: datetime | None = None) -> bool:
        return self.ends_at <= (moment or timezone.now())


def new_token() -> str:
    return secrets.token_urlsafe(32)


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "id")

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Registration(models.Model):
    """One person's registration for an event, with or without an account.

    Without an account the address is confirmed first (double opt-in); until then the
    registration is pending and holds no place. `token` is the secret of the links in the
    mails (manage, confirm, cancel). Only `events.services` changes the status.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="de")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        editable=False,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(
        _("address confirmed"), null=True, blank=True, editable=False
    )
    queued_at = models.DateTimeField(
        _("in line since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The waiting list is served in this order."),
    )
    seated_at = models.DateTimeField(_("place since"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="registration_queue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="registration_unique_email"),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="registration_unique_user",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.event})"

    def get_absolute_url(self):
        return reverse("events:registration-manage", kwargs={"token": self.token})

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_pending(self) -> bool:
        return self.status == RegistrationStatus.PENDING

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class IdeaReceipt(models.Model):
    """An idea handed in at an event (analog intake): the link lives here, with the event,
    so that the ideas app knows nothing of events."""

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="receipt", verbose_name=_("idea")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="ideas_received",
        verbose_name=_("received at the event"),
    )

    class Meta:
        verbose_name = _("idea received at an event")
        verbose_name_plural = _("ideas received at events")

    def __str__(self):
        return f"{self.idea} ({self.event})"


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Phase(models.TextChoices):
    """The phases of a call's participation process, in their order (events/phases.py)."""

    CALL = "call", _("Call for ideas")
    REVIEW = "review", _("Review of the ideas")
    WORKSHOPS = "workshops", _("Workshops with the idea givers")
    MEASURES = "measures", _("Measures are formed")
    COUNCIL = "council", _("Council decision")
    IMPLEMENTATION = "implementation", _("Implementation")


class Milestone(models.Model):
    """A step of the participation process on the public timeline: a day, a month or a
    range of either, optionally linked to an event or a call."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    precision = models.CharField(
        _("precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Month: shown as “May 2022”, for steps without an exact day."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("event"),
    )
    call = models.ForeignKey(
        "ideas.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("call"),
    )
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text=_(
            "Which phase of the call's process this milestone dates: the call's page and the "
            "home page show the phases with these dates."
        ),
    )
    public = models.BooleanField(_("public"), default=True)
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Lets a data import find the milestone again."),
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="events_milestone_ends_after_start",
                violation_error_message=_("A milestone cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title


class Publication(models.Model):
    """An entry of the press and media log: who wrote what about the process, and when."""

    published_on = models.DateField(_("date"))
    outlet = models.CharField(_("outlet"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    call = models.ForeignKey(
        "ideas.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("call"),
    )
    public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["public", "-published_on"], name="publication_public")]
        constraints = [
            models.UniqueConstraint(
                fields=["published_on", "outlet", "title"], name="publication_unique"
            )
        ]

    def __str__(self):
        return f"{self.outlet}: {self.title}"

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title
