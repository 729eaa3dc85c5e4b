"""The public discussion of ideas: supports, comments, reports, blocks and each call's
discussion settings. The counts every list reads live on the idea (`Idea.support_count`,
`comment_count`, `support_threshold_reached_at`); only this app's services write them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Call, Idea

DEFAULT_THRESHOLD = 30


class Phase(models.TextChoices):
    CALL = "call", _("While the call is open")
    UNTIL = "until", _("Until a date")
    OFF = "off", _("Off")


class CallDiscussion(models.Model):
    """How a call's ideas are discussed. A call without one discusses while it is open, with
    a threshold of 30 supports and without pre-moderation."""

    call = models.OneToOneField(
        Call,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="discussion",
        verbose_name=_("call"),
    )
    phase = models.CharField(
        _("discussion phase"), max_length=10, choices=Phase.choices, default=Phase.CALL
    )
    open_until = models.DateTimeField(
        _("open until"),
        null=True,
        blank=True,
        help_text=_("Only for the phase “until a date”: supports and comments end then."),
    )
    support_threshold = models.PositiveIntegerField(
        _("support threshold"),
        default=DEFAULT_THRESHOLD,
        help_text=_("From this many supports an idea is marked and the editors are told once."),
    )
    premoderate_first_comments = models.BooleanField(
        _("pre-moderate first comments"),
        default=False,
        help_text=_("A person's first comment is shown only after an editor approved it."),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phase="until") | models.Q(open_until__isnull=False),
                name="discussion_until_has_date",
                violation_error_message=_("Please give the date the discussion ends."),
            ),
            models.CheckConstraint(
                condition=models.Q(support_threshold__gte=1),
                name="discussion_threshold_positive",
                violation_error_message=_("The threshold must be at least 1."),
            ),
        ]

    def __str__(self):
        return str(self.call)

    @property
    def audit_label(self) -> str:
        return str(self.call)

    def is_open(self, moment=None) -> bool:
        """Whether supports and comments are taken now (the call must be published)."""
        moment = moment or timezone.now()
        if not self.call.published or self.phase == Phase.OFF:
            return False
        if self.phase == Phase.UNTIL:
            return self.call.opens_at <= moment < self.open_until
        return self.call.opens_at <= moment < self.call.deadline


class Support(models.Model):
    """One account's support of one idea. The unique constraint is what keeps two tabs (or
    fifty parallel requests) from counting twice; the services also lock the idea's row.
    An erased account's supports stay counted, without the person (user NULL)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supports",
        verbose_name=_("supported by"),
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="discussion_support_once"),
        ]

    def __str__(self):
        return f"{self.idea} ({self.created_at:%Y-%m-%d})"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees as a comment (deleted and hidden ones stay as placeholders)."""
        return self.filter(pending=False)


class Comment(models.Model):
    """A comment on an idea, or a reply to one (one level only). Deleting keeps the row with
    its place in the thread but not its text; hiding keeps the text for staff."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=5000, blank=True)
    official = models.BooleanField(
        _("official answer"), default=False, help_text=_("Written by the city's staff.")
    )
    pending = models.BooleanField(_("awaiting approval"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["idea", "parent", "created_at", "id"], name="comment_thread"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.idea})"

    @property
    def audit_label(self) -> str:
        return f"#{self.pk} ({self.idea})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReportState(models.TextChoices):
    OPEN = "open", _("Open")
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """Someone's report of an idea or a comment that breaks the netiquette."""

    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("idea"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("comment"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=True, comment__isnull=False)
                | models.Q(idea__isnull=False, comment__isnull=True),
                name="discussion_report_one_subject",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=models.Q(idea__isnull=False),
                name="discussion_report_idea_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="discussion_report_comment_once",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_state_display()})"

    @property
    def subject(self):
        return self.comment if self.comment_id else self.idea

    @property
    def audit_label(self) -> str:
        return str(self.subject)


class Block(models.Model):
    """An account may not discuss (support, comment, report) until `until`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_blocks",
        verbose_name=_("account"),
    )
    until = models.DateTimeField(_("blocked until"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("discussion block")
        verbose_name_plural = _("discussion blocks")

    def __str__(self):
        return f"{self.user} ({timezone.localtime(self.until):%d.%m.%Y})"

    @property
    def audit_label(self) -> str:
        return f"{self.user} ({timezone.localtime(self.until):%d.%m.%Y})"


class Unfollow(models.Model):
    """Someone chose to stop following an idea: they are not made to follow it again by their
    next comment, nor as its author. Kept apart from the subscription, which the retention
    purge deletes some time after it ended."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idea no longer followed")
        verbose_name_plural = _("ideas no longer followed")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="discussion_unfollow_once")
        ]

    def __str__(self):
        return f"{self.idea} ({self.created_at:%Y-%m-%d})"
