import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

from .call import Call


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENED = "screened", _("Screened")
    IN_QUALIFICATION = "in_qualification", _("In qualification")
    QUALIFIED = "qualified", _("Qualified")
    IN_MEASURE = "in_measure", _("Part of a measure")
    POOL = "pool", _("Idea pool (deferred)")
    NOT_PURSUED = "not_pursued", _("Not pursued")
    DUPLICATE = "duplicate", _("Duplicate")


PUBLIC_STATUSES = [status for status in Status.values if status != Status.DRAFT]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("On paper")
    POST = "post", _("By post")
    PHONE = "phone", _("By phone")
    EVENT = "event", _("At an event")


class IdeaQuerySet(models.QuerySet):
    def published(self):
        # "Not a draft" (rather than a list of statuses) matches the partial indexes below.
        return self.exclude(status=Status.DRAFT).filter(call__published=True)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def by_author(self, user):
        return self.filter(author=user)


class Idea(models.Model):
    """A project idea. A draft may be incomplete; a submitted idea is complete and public.

    The review's public result (status after submission, feedback, duplicate_of, score,
    knockout_failed, assessment_count) lives on the idea because every public list reads it;
    only the services of the `review` app write it. Likewise the public discussion's counts
    (support_count, comment_count, support_threshold_reached_at): only the services of the
    `discussion` app write them, so the lists sort and filter without knowing that app."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("call")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("author"),
    )
    reference = models.CharField(
        _("reference number"), max_length=24, unique=True, null=True, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    problem = models.TextField(_("problem it addresses"), max_length=5000, blank=True)
    benefit = models.TextField(_("benefit and goals"), max_length=5000, blank=True)
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    primary_field = models.ForeignKey(
        ActionField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_ideas",
        verbose_name=_("primary action field"),
    )
    action_fields = models.ManyToManyField(
        ActionField, related_name="ideas", blank=True, verbose_name=_("action fields")
    )
    quarters = models.ManyToManyField(
        Quarter, related_name="ideas", blank=True, verbose_name=_("quarters")
    )
    whole_city = models.BooleanField(_("whole city"), default=False)
    # An optional point on the map (WGS 84). Both or neither, checked by a constraint.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    wants_workshop = models.BooleanField(_("would like to take part in a workshop"), default=False)
    consent_at = models.DateTimeField(_("privacy consent given"), null=True, blank=True)
    consent_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # Triage: the public result and the city's feedback.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    feedback = models.TextField(_("feedback (public once published)"), blank=True)
    feedback_published_at = models.DateTimeField(_("feedback published"), null=True, blank=True)
    # The assessors' result, kept up to date by review.assessments.idea_result_refresh.
    score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=3, null=True, blank=True, editable=False
    )
    knockout_failed = models.BooleanField(
        _("knock-out criterion failed"), default=False, editable=False
    )
    assessment_count = models.PositiveSmallIntegerField(
        _("assessments"), default=0, editable=False
    )
    # Analog intake: ideas that came on paper, by post, by phone or at an event.
    # The public discussion's counts, kept exact by the discussion app's services.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    support_threshold_reached_at = models.DateTimeField(
        _("support threshold reached"), null=True, blank=True, editable=False
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    paper_consent = models.BooleanField(_("consent given on paper"), default=False)
    submitter_name = models.CharField(_("submitter's name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("submitter's email"), blank=True)
    submitter_phone = models.CharField(_("submitter's phone"), max_length=50, blank=True)
    submitter_address = models.TextField(_("submitter's address"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    form_token = models.UUIDField(
        _("form token"), null=True, blank=True, unique=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Mails about the idea go with it (notices app).
    notices = GenericRelation(
        "notices.Notice", content_type_field="subject_type", object_id_field="subject_id"
    )

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["status", "-submitted_at", "-id"], name="idea_status_submitted"),
            models.Index(fields=["call", "status"], name="idea_call_status"),
            models.Index(fields=["status", "title"], name="idea_status_title"),
            models.Index(fields=["author", "status"], name="idea_author_status"),
            models.Index(fields=["call", "-score"], name="idea_call_score"),
            # The public list's sort orders, over published ideas only.
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=~models.Q(status="draft"),
                name="idea_public_newest",
            ),
            models.Index(
                fields=["title", "id"],
                condition=~models.Q(status="draft"),
                name="idea_public_title",
            ),
            models.Index(
                fields=["-support_count", "-id"],
                condition=~models.Q(status="draft"),
                name="idea_public_supports",
            ),
            # The map: published ideas with a location, narrow enough to count, bound and
            # group them by an index-only scan (ideas/map_data.py).
            models.Index(
                fields=["latitude", "longitude"],
                include=["call", "id"],
                condition=~models.Q(status="draft")
                & models.Q(latitude__isnull=False, longitude__isnull=False),
                name="idea_public_located",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(submitted_at__isnull=False, reference__isnull=False),
                name="ideas_idea_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    # Explicit: a comparison with NULL would let a half location pass.
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="ideas_idea_location_valid",
            ),
        ]

    def __str__(self):
        return self.reference or self.title

    def get_absolute_url(self):
        return reverse("ideas:idea-detail", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.reference or self.title

    @property
    def author_display(self) -> str:
        """The public byline: the display name, never the email or the real name. An idea
        whose author deleted their account stays public as a former member's."""
        if self.author is not None:
            return self.author.public_name
        if self.channel != Channel.ONLINE:
            return _("Submitted on paper or at an event")
        return _("Former member")

    @property
    def feedback_is_public(self) -> bool:
        return bool(self.feedback) and self.feedback_published_at is not None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status != Status.DRAFT and self.call.published


def image_path(instance, filename):
    return f"ideas/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class IdeaImage(models.Model):
    """An image of an idea: re-encoded without metadata, with a thumbnail."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="images", verbose_name=_("idea")
    )
    image = models.ImageField(_("image"), upload_to=image_path)
    # Both empty until the task has made them (ideas/tasks.py): the pages show a placeholder.
    thumbnail = models.ImageField(_("thumbnail"), upload_to=image_path, blank=True)
    # Empty for images stored before it existed: templates fall back to the thumbnail.
    thumbnail_small = models.ImageField(_("small thumbnail"), upload_to=image_path, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(_("image description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text or self.image.name


class ReferenceSequence(models.Model):
    """The last reference number given per prefix and year, locked while counting up."""

    key = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last}"
