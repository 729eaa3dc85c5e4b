from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField
from ideas.models import Call, Idea
from measures.models import Measure


class Vote(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend")
    ABSTAIN = "abstain", _("Abstain")


class Shortlist(models.Model):
    """Qualified ideas and measures the advisory board (Beirat) reviews in a window. When
    the window opens the items are frozen as snapshots: what members read stays put."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="shortlists", verbose_name=_("call")
    )
    action_field = models.ForeignKey(
        ActionField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action field"),
    )
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("review opens"))
    closes_at = models.DateTimeField(_("review closes"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        null=True,
        blank=True,
        help_text=_("Votes needed for a valid recommendation; empty: half the members."),
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="shortlist_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def has_opened(self, moment=None) -> bool:
        """From the opening of its window on, a shortlist is the board's and stays as it is."""
        return self.frozen_at is not None or self.opens_at <= (moment or timezone.now())


class ShortlistItem(models.Model):
    """One idea or one measure on a shortlist, with its frozen snapshot and, in the end, the
    board's recommendation as the editors record it."""

    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, related_name="items", verbose_name=_("shortlist")
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shortlist_items",
        verbose_name=_("idea"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shortlist_items",
        verbose_name=_("measure"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True, editable=False)
    final_recommendation = models.CharField(
        _("board's recommendation"), max_length=20, choices=Vote.choices, blank=True
    )
    final_note = models.TextField(_("note on the recommendation"), blank=True)
    published_at = models.DateTimeField(_("recommendation published"), null=True, blank=True)

    class Meta:
        ordering = ["shortlist", "order", "id"]
        verbose_name = _("shortlist item")
        verbose_name_plural = _("shortlist items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, measure__isnull=True)
                    | models.Q(idea__isnull=True, measure__isnull=False)
                ),
                name="shortlist_item_idea_or_measure",
            ),
        ]

    def __str__(self):
        return str(self.idea or self.measure)

    @property
    def subject(self):
        return self.idea or self.measure


class Recommendation(models.Model):
    """One board member's vote on one item, changeable until the window closes. A member
    with a conflict of interest is left out of the item's tally."""

    item = models.ForeignKey(
        ShortlistItem,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("item"),
    )
    # Null once the member deleted their account: the recommendation stays, without the person.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("member"),
    )
    vote = models.CharField(_("vote"), max_length=20, choices=Vote.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="recommendation_unique"),
        ]

    def __str__(self):
        return f"{self.item}: {self.vote}"
