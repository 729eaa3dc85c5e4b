"""Reads of the review: the current catalogue, whether an idea qualifies, the scores per
criterion, the ranking, the assessors' assignments and ideas that read alike."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.models import Role
from ideas.models import Call, Idea, Status

from . import scoring
from .models import Assignment, CriteriaCatalogue, Score

DEFAULT_THRESHOLD = Decimal(3)


def catalogue_current(call: Call) -> CriteriaCatalogue | None:
    """The newest version of a call's criteria catalogue (remembered on the call object, so
    a page asks once)."""
    if not hasattr(call, "_review_catalogue"):
        call._review_catalogue = call.catalogues.order_by("-version").first()
    return call._review_catalogue


def rules_of(catalogue: CriteriaCatalogue) -> list[scoring.CriterionRule]:
    return [
        scoring.CriterionRule(
            id=criterion.pk,
            weight=criterion.weight,
            knockout=criterion.knockout,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )
        for criterion in catalogue.criteria.all()
    ]


def idea_qualifies(idea: Idea) -> bool | None:
    """Whether the assessors' result meets the call's threshold (None: not assessed)."""
    if idea.score is None:
        return None
    catalogue = catalogue_current(idea.call)
    threshold = catalogue.threshold if catalogue else DEFAULT_THRESHOLD
    result = scoring.Result(idea.score, idea.knockout_failed, idea.assessment_count)
    return result.qualifies(threshold)


def idea_criterion_summary(*, idea: Idea) -> list[dict]:
    """Per criterion of the current catalogue: the scores given, their mean, the reasons and
    whether the assessors disagree (for editors and the board's snapshot)."""
    catalogue = catalogue_current(idea.call)
    if catalogue is None:
        return []
    scores = Score.objects.filter(
        assessment__assignment__idea=idea,
        assessment__submitted_at__isnull=False,
        assessment__assignment__recused_at__isnull=True,
        assessment__catalogue=catalogue,
    )
    by_criterion: dict[int, list[Score]] = {}
    for score in scores:
        by_criterion.setdefault(score.criterion_id, []).append(score)
    rows = []
    for criterion in catalogue.criteria.all():
        given = by_criterion.get(criterion.pk, [])
        values = [score.value for score in given]
        rows.append(
            {
                "criterion": criterion,
                "values": values,
                "mean": (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))
                if values
                else None,
                "reasons": [score.reason for score in given if score.reason],
                "disagreement": len(values) >= 2
                and max(values) - min(values) >= scoring.DISAGREEMENT,
            }
        )
    return rows


def ranking(*, call: Call, field=None) -> list[tuple[int, Idea]]:
    """The call's assessed ideas ranked by their weighted score (optionally in one action
    field); ideas that fail a knock-out come last."""
    ideas = (
        Idea.objects.published()
        .filter(call=call, assessment_count__gt=0)
        .exclude(status__in=[Status.NOT_PURSUED, Status.DUPLICATE])
        .select_related("primary_field")
        .order_by("submitted_at", "pk")
    )
    if field is not None:
        ideas = ideas.filter(primary_field=field)
    rows = [
        (idea, scoring.Result(idea.score, idea.knockout_failed, idea.assessment_count), index)
        for index, idea in enumerate(ideas)
    ]
    return scoring.ranking(rows)


def assignments_of(user) -> QuerySet[Assignment]:
    """An assessor's assignments, open ones first."""
    return (
        Assignment.objects.filter(assessor=user)
        .select_related("idea__call", "idea__primary_field", "assessment")
        .order_by("recused_at", "assessment__submitted_at", "-assigned_at")
    )


def assessors() -> QuerySet:
    """Everyone who may be asked to assess (the assessors' group, active accounts)."""
    return get_user_model().objects.filter(groups__name=Role.ASSESSOR, is_active=True)
