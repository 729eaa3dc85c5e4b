from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open_at(self, moment):
        return self.published().filter(opens_at__lte=moment, deadline__gt=moment)


class Call(models.Model):
    """A project idea call (Projektideenaufruf).

    `closes_at` is the deadline first announced; `deadline` is the deadline in force, written
    only by `ideas.services.call_extend` and `call_save` from the extensions, so every reader
    sees one current deadline.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    teaser = models.CharField(_("teaser"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes (as first announced)"))
    deadline = models.DateTimeField(_("current deadline"), editable=False)
    published = models.BooleanField(_("published"), default=False)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        default="SC",
        help_text=_("Reference numbers look like SC-2022-0042."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A call's news go to its subscribers; both go with the call (notices app).
    subscriptions = GenericRelation(
        "notices.Subscription", content_type_field="subject_type", object_id_field="subject_id"
    )
    notices = GenericRelation(
        "notices.Notice", content_type_field="subject_type", object_id_field="subject_id"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="ideas_call_closes_after_opening",
                violation_error_message=_("The call must close after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("closes_at")),
                name="ideas_call_deadline_not_before_closing",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideas:call-detail", kwargs={"slug": self.slug})

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.published and self.opens_at <= moment < self.deadline

    def has_started(self, moment=None) -> bool:
        return self.opens_at <= (moment or timezone.now())

    @property
    def is_extended(self) -> bool:
        return self.deadline > self.closes_at


class CallExtension(models.Model):
    """One extension of a call's deadline, kept as a record of its own."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("call")
    )
    old_deadline = models.DateTimeField(_("old deadline"))
    new_deadline = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extended by"),
    )
    created_at = models.DateTimeField(_("extended at"), default=timezone.now)

    class Meta:
        ordering = ["call", "new_deadline"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_deadline__gt=models.F("old_deadline")),
                name="ideas_extension_moves_deadline_later",
            )
        ]

    def __str__(self):
        # Also called on unsaved, half-filled extensions in the admin.
        call = self.call.title if self.call_id else "?"
        if self.new_deadline is None:
            return call
        return f"{call} → {timezone.localtime(self.new_deadline):%d.%m.%Y %H:%M}"
