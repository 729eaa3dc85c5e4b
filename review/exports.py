"""The editors' downloads: ideas with their assessment per criterion (admin action, CSV and
XLSX) and the ranking of a call. Written by halle_smartcity.spreadsheets, which neutralises
every text cell."""

from collections.abc import Iterator

from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.models import Call, Idea

from . import scoring
from .models import Criterion, Score

CHUNK = 1000


def idea_columns(criteria: list[Criterion]) -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Call"),
        _("Primary action field"),
        _("Action fields"),
        _("Quarters"),
        _("Status"),
        _("Channel"),
        _("Submitted"),
        _("Weighted score"),
        _("Knock-out failed"),
        _("Assessments"),
        *[
            f"{criterion.code} {criterion.name} (v{criterion.catalogue.version})".strip()
            for criterion in criteria
        ],
    ]


def criteria_for(queryset: QuerySet[Idea]) -> list[Criterion]:
    """The criteria of each exported call's current catalogue version."""
    calls = Call.objects.filter(pk__in=queryset.values("call_id")).prefetch_related(
        "catalogues__criteria"
    )
    criteria = []
    for call in calls:
        catalogues = sorted(call.catalogues.all(), key=lambda catalogue: -catalogue.version)
        if catalogues:
            criteria += list(catalogues[0].criteria.all())
    return criteria


def idea_rows(queryset: QuerySet[Idea], criteria: list[Criterion]) -> Iterator[list]:
    """One row per idea: a constant number of queries per chunk of ideas, whatever the
    total."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ideas = (
            Idea.objects.filter(pk__in=chunk)
            .order_by("pk")
            .select_related("call", "primary_field")
            .prefetch_related("action_fields", "quarters")
        )
        means = {
            (row["assessment__assignment__idea_id"], row["criterion_id"]): row["mean"]
            for row in Score.objects.filter(
                assessment__assignment__idea_id__in=chunk,
                assessment__submitted_at__isnull=False,
                assessment__assignment__recused_at__isnull=True,
            )
            .values("assessment__assignment__idea_id", "criterion_id")
            .annotate(mean=Avg("value"))
        }
        for idea in ideas:
            yield [
                idea.reference,
                idea.title,
                idea.call.title,
                idea.primary_field.name if idea.primary_field else "",
                ", ".join(field.name for field in idea.action_fields.all()),
                _("Whole city")
                if idea.whole_city
                else ", ".join(quarter.name for quarter in idea.quarters.all()),
                idea.get_status_display(),
                idea.get_channel_display(),
                timezone.localtime(idea.submitted_at).strftime("%d.%m.%Y %H:%M")
                if idea.submitted_at
                else "",
                idea.score,
                _("yes") if idea.knockout_failed else _("no"),
                idea.assessment_count,
                *[
                    round(float(means[(idea.pk, criterion.pk)]), 2)
                    if (idea.pk, criterion.pk) in means
                    else None
                    for criterion in criteria
                ],
            ]


def ranking_columns() -> list[str]:
    return [
        _("Rank"),
        _("Reference"),
        _("Title"),
        _("Primary action field"),
        _("Weighted score"),
        _("Knock-out failed"),
        _("Assessments"),
        _("Qualifies"),
    ]


def ranking_rows(rows, *, threshold) -> Iterator[list]:
    """The rows of `review.selectors.ranking`, with whether each idea qualifies."""
    for rank, idea in rows:
        result = scoring.Result(idea.score, idea.knockout_failed, idea.assessment_count)
        qualifies = threshold is not None and result.qualifies(threshold)
        yield [
            rank,
            idea.reference,
            idea.title,
            idea.primary_field.name if idea.primary_field else "",
            idea.score,
            _("yes") if idea.knockout_failed else _("no"),
            idea.assessment_count,
            _("yes") if qualifies else _("no"),
        ]
