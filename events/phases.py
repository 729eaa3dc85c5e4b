"""A call's participation process as phases (call, review, workshops with the idea givers,
measures, council decision, implementation) with their dates and "we are here", derived from
the data: the call's own dates, its workshops (events), and its milestones marked with a phase.
`call_phases` is a pure rule; `phases_of_call` reads what it needs in two queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Call

from .models import DatePrecision, Event, EventKind, Milestone, Phase
from .selectors import milestone_end

# Events where idea givers work on their ideas with the city and experts.
WORKSHOP_KINDS = (EventKind.CREATIVE_WORKSHOP, EventKind.DESIGN_SPRINT, EventKind.EXPERT_WORKSHOP)


# What happens in each phase, for the call's page (one home for these sentences).
PHASE_TEXTS = {
    Phase.CALL: _("Ideas are submitted online, on paper or at an event."),
    Phase.REVIEW: _(
        "The city checks every idea; experts assess them against the published criteria."
    ),
    Phase.WORKSHOPS: _(
        "Promising ideas are developed further together with the people who gave them."
    ),
    Phase.MEASURES: _("The ideas are bundled into measures."),
    Phase.COUNCIL: _("The city council decides on the measures."),
    Phase.IMPLEMENTATION: _("The measures decided on are put into practice."),
}


@dataclass(frozen=True)
class Span:
    starts_on: date
    ends_on: date
    precision: str = DatePrecision.DAY


@dataclass(frozen=True)
class PhaseStep:
    phase: Phase
    span: Span | None  # None: no date known yet
    state: str  # "done", "now" or "next"

    @property
    def title(self) -> str:
        return self.phase.label

    @property
    def text(self) -> str:
        return PHASE_TEXTS[self.phase]


def milestone_span(milestone: Milestone) -> Span:
    start = milestone.starts_on
    if milestone.precision == DatePrecision.MONTH:
        start = start.replace(day=1)
    return Span(start, milestone_end(milestone), milestone.precision)


def _union(spans: list[Span]) -> Span | None:
    if not spans:
        return None
    precision = (
        DatePrecision.MONTH
        if all(span.precision == DatePrecision.MONTH for span in spans)
        else DatePrecision.DAY
    )
    return Span(
        min(span.starts_on for span in spans), max(span.ends_on for span in spans), precision
    )


def call_phases(
    *,
    opens_on: date,
    closes_on: date,
    milestones: list[Milestone],
    workshops: list[Span],
    today: date,
) -> list[PhaseStep]:
    """The phases in order with their dates and states. The call runs from its opening to its
    deadline; the review starts the day after (until a milestone says otherwise); workshops
    are dated by milestones or else by the call's workshop events after the deadline; the
    later phases by their milestones. "We are here" is the latest phase that has started;
    the ones before are done, the ones after come next. Before the call opens, all come."""
    by_phase: dict[str, list[Span]] = {}
    for milestone in milestones:
        if milestone.phase:
            by_phase.setdefault(milestone.phase, []).append(milestone_span(milestone))
    spans: dict[str, Span | None] = {
        Phase.CALL: Span(opens_on, closes_on),
        Phase.REVIEW: _union(by_phase.get(Phase.REVIEW, []))
        or Span(closes_on + timedelta(days=1), closes_on + timedelta(days=1)),
        Phase.WORKSHOPS: _union(by_phase.get(Phase.WORKSHOPS, []))
        or _union([span for span in workshops if span.starts_on > closes_on]),
    }
    for phase in (Phase.MEASURES, Phase.COUNCIL, Phase.IMPLEMENTATION):
        spans[phase] = _union(by_phase.get(phase, []))
    order = list(Phase)
    started = [
        index
        for index, phase in enumerate(order)
        if spans[phase] is not None and spans[phase].starts_on <= today
    ]
    current = max(started) if started else -1
    steps = []
    for index, phase in enumerate(order):
        state = "done" if index < current else "now" if index == current else "next"
        span = spans[phase]
        if phase == Phase.REVIEW and not by_phase.get(Phase.REVIEW):
            # Only its start is known: shown as "from <date>".
            span = Span(span.starts_on, span.starts_on, "from")
        steps.append(PhaseStep(phase, span, state))
    return steps


def phases_of_call(call: Call, *, today: date | None = None) -> list[PhaseStep]:
    """The phases of a call from its dates, its public milestones with a phase and its public
    workshops (two queries)."""
    today = today or timezone.localdate()
    milestones = list(
        Milestone.objects.filter(call=call, public=True).exclude(phase="").order_by("starts_on")
    )
    workshops = [
        Span(timezone.localdate(starts), timezone.localdate(ends))
        for starts, ends in Event.objects.public()
        .filter(call=call, kind__in=WORKSHOP_KINDS, cancelled_at__isnull=True)
        .values_list("starts_at", "ends_at")
    ]
    return call_phases(
        opens_on=timezone.localdate(call.opens_at),
        closes_on=timezone.localdate(call.deadline),
        milestones=milestones,
        workshops=workshops,
        today=today,
    )
