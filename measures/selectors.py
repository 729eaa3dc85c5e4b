"""Reads of measures with their visibility rules, and an idea's public path from submission
to its measure's implementation."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from ideas.models import Idea, Status

from .models import (
    Invitation,
    InvitationStatus,
    Measure,
    MeasureIdea,
    MeasureStatus,
    MeasureUpdate,
    WorkshopResult,
)

# The review's decision about an idea: the first of these statuses it reached.
DECIDED = [Status.QUALIFIED, Status.POOL, Status.NOT_PURSUED, Status.DUPLICATE]


def measures_public() -> QuerySet[Measure]:
    return Measure.objects.filter(published=True, call__published=True).select_related("call")


def measures_annex() -> QuerySet[Measure]:
    """Every public measure with all its profile, for the strategy's annex (fixed number of
    queries)."""
    return measures_public().prefetch_related(
        "action_fields",
        "quarters",
        "milestones",
        "indicators",
        Prefetch(
            "sources",
            queryset=MeasureIdea.objects.filter(idea__in=Idea.objects.published())
            .select_related("idea")
            .order_by("idea__reference"),
            to_attr="public_sources",
        ),
    )


def where_ideas_went(ideas: list[Idea]) -> dict[int, list[Measure]]:
    """For each idea (by pk), the public measures it went into, each with its status (one
    query)."""
    found: dict[int, list[Measure]] = {}
    sources = (
        MeasureIdea.objects.filter(idea__in=[idea.pk for idea in ideas])
        .filter(measure__in=measures_public())
        .select_related("measure")
        .order_by("measure__title")
    )
    for source in sources:
        found.setdefault(source.idea_id, []).append(source.measure)
    return found


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime | None = None
    note: str = ""
    measure: Measure | None = None

    @property
    def reached(self) -> bool:
        return self.at is not None


@dataclass(frozen=True)
class IdeaPage:
    """What an idea's public page shows of measures and workshops (measures.sections)."""

    steps: list[Step]
    results: list[WorkshopResult]  # the workshops' results on the idea, oldest event first
    measures: list[Measure]  # the published measures it is part of, by title


def idea_page(idea: Idea) -> IdeaPage:
    """What the idea's page shows of measures, read once for its three sections (kept on
    the idea): four queries, five when the idea is part of a measure."""
    found = idea.__dict__.get("_measures_page")
    if found is None:
        found = idea.__dict__["_measures_page"] = _idea_page(idea)
    return found


def _idea_page(idea: Idea) -> IdeaPage:
    sources = list(
        MeasureIdea.objects.filter(idea=idea, measure__in=measures_public())
        .select_related("measure__call")
        .order_by("measure__title", "measure_id")
    )
    results = list(
        WorkshopResult.objects.filter(idea=idea)
        .select_related("event", "measure")
        .order_by("event__starts_at")
    )
    return IdeaPage(
        steps=idea_path(idea, sources=sources, results=results),
        results=results,
        measures=[source.measure for source in sources],
    )


def idea_path(idea: Idea, *, sources: list[MeasureIdea], results: list[WorkshopResult]):
    """The public steps of an idea: submitted → assessed → workshop → measure → adopted →
    implemented, each with the date it was reached (None: not yet), from its public
    measures (`sources`) and workshop results. Three queries."""
    decision = (
        AuditEntry.objects.about(idea)
        .filter(action="review.idea.status_changed", data__new__in=DECIDED)
        .order_by("created_at", "id")
        .values_list("created_at", "data__new")
        .first()
    )
    measure_ids = [source.measure_id for source in sources]
    updates = {}
    for update in MeasureUpdate.objects.filter(measure_id__in=measure_ids).order_by(
        "published_at"
    ):
        updates.setdefault(update.status, update)
    labels = dict(Status.choices)
    assessed_note = str(labels.get(decision[1], "")) if decision else ""
    # The first measure the idea went into (sources come by title).
    first = min(sources, key=lambda source: source.added_at, default=None)
    if decision is None and first is not None:
        # Ideas bundled before the audit knew status changes went through qualification.
        decision = (first.added_at, Status.QUALIFIED)
    workshop = workshop_date(idea, results)
    completed = updates.get(MeasureStatus.COMPLETED)
    implementing = updates.get(MeasureStatus.IN_IMPLEMENTATION)
    return [
        Step(_("Submitted"), idea.submitted_at),
        Step(_("Assessed"), decision[0] if decision else None, assessed_note),
        Step(_("Workshop"), workshop),
        Step(
            _("Part of a measure"),
            first.added_at if first else None,
            measure=first.measure if first else None,
        ),
        Step(
            _("Adopted by the council"),
            updates[MeasureStatus.ADOPTED].published_at
            if MeasureStatus.ADOPTED in updates
            else None,
        ),
        Step(
            _("Implemented") if completed or not implementing else _("In implementation"),
            (completed or implementing).published_at if (completed or implementing) else None,
        ),
    ]


def workshop_date(idea: Idea, results: list[WorkshopResult]) -> datetime | None:
    """When the idea was worked on in a workshop: the first event with a recorded result
    (`results`, the idea's) or that its giver attended (one query)."""
    dates = [
        *(result.event.starts_at for result in results),
        *Invitation.objects.filter(
            idea=idea, status=InvitationStatus.ACCEPTED, registration__attended=True
        ).values_list("event__starts_at", flat=True),
    ]
    return min(dates) if dates else None


def workshop_results_of_measure(measure: Measure) -> list[WorkshopResult]:
    """The results of workshops that fed into the measure or worked on its public ideas."""
    return list(
        WorkshopResult.objects.filter(
            models.Q(measure=measure)
            | models.Q(idea__in=Idea.objects.published().filter(measures=measure))
        )
        .select_related("event", "idea")
        .order_by("event__starts_at", "idea__reference")
    )


def ideas_in_measures_per_field(call=None) -> tuple[int, list[tuple[str, int]]]:
    """How many ideas (of a call, or all) went into a public measure: in total and per
    action field of their measures. One query over the measures' tables only: the
    statistics page reads no idea rows at request time (ideas/counts.py)."""
    sources = MeasureIdea.objects.filter(measure__in=measures_public())
    if call is not None:
        sources = sources.filter(measure__call=call)
    ideas: set[int] = set()
    per_field: dict[tuple[int, str], set[int]] = {}
    for idea_id, order, name in sources.values_list(
        "idea_id", "measure__action_fields__order", "measure__action_fields__name"
    ):
        ideas.add(idea_id)
        if name is not None:
            per_field.setdefault((order, name), set()).add(idea_id)
    return len(ideas), [(name, len(ids)) for (_order, name), ids in sorted(per_field.items())]
