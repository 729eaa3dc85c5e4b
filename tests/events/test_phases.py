"""A call's process as phases with "we are here" (events/phases.py), from the call's dates,
its workshops and its milestones marked with a phase."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import DatePrecision, Event, EventKind, Milestone, Phase
from events.phases import Span, call_phases, phases_of_call
from tests.factories import CallFactory

BERLIN = ZoneInfo("Europe/Berlin")
OPENS, CLOSES = date(2022, 11, 10), date(2023, 1, 8)


def states(steps) -> dict[str, str]:
    return {step.phase.value: step.state for step in steps}


def phases(today, milestones=(), workshops=()):
    return call_phases(
        opens_on=OPENS,
        closes_on=CLOSES,
        milestones=list(milestones),
        workshops=list(workshops),
        today=today,
    )


def test_before_the_call_opens_every_phase_is_still_to_come():
    assert set(states(phases(OPENS - timedelta(days=1))).values()) == {"next"}


def test_while_the_call_is_open_we_are_at_the_call():
    steps = phases(CLOSES)
    assert states(steps) == {
        "call": "now",
        "review": "next",
        "workshops": "next",
        "measures": "next",
        "council": "next",
        "implementation": "next",
    }
    assert (steps[0].span.starts_on, steps[0].span.ends_on) == (OPENS, CLOSES)
    # Without milestones the later phases have no date yet; the review starts after the call.
    assert steps[1].span.starts_on == CLOSES + timedelta(days=1)
    assert [step.span for step in steps[2:]] == [None] * 4


def test_after_the_deadline_the_review_runs_until_a_later_phase_starts():
    workshop = Span(date(2023, 1, 26), date(2023, 1, 26))
    during_call = Span(date(2022, 12, 2), date(2022, 12, 2))
    steps = phases(date(2023, 1, 20), workshops=[workshop, during_call])
    assert states(steps)["review"] == "now"
    # Only workshops after the deadline date the workshop phase.
    assert steps[2].span == Span(date(2023, 1, 26), date(2023, 1, 26))
    assert states(phases(date(2023, 1, 26), workshops=[workshop]))["workshops"] == "now"


def test_milestones_date_the_later_phases_and_the_latest_started_is_where_we_are():
    milestones = [
        Milestone(
            title="Maßnahmen",
            starts_on=date(2023, 3, 1),
            ends_on=date(2023, 4, 1),
            precision=DatePrecision.MONTH,
            phase=Phase.MEASURES,
        ),
        Milestone(
            title="Rat",
            starts_on=date(2023, 5, 31),
            precision=DatePrecision.MONTH,
            phase=Phase.COUNCIL,
        ),
        Milestone(title="Ohne Phase", starts_on=date(2023, 2, 1)),
    ]
    steps = phases(date(2023, 5, 10), milestones=milestones)
    assert states(steps) == {
        "call": "done",
        "review": "done",
        "workshops": "done",  # undated, but a later phase has started
        "measures": "done",
        "council": "now",  # a month counts from its first day
        "implementation": "next",
    }
    measures = steps[3].span
    assert (measures.starts_on, measures.ends_on) == (date(2023, 3, 1), date(2023, 4, 30))


@pytest.mark.django_db
def test_phases_of_a_call_read_its_public_milestones_and_workshops(django_assert_num_queries):
    call = CallFactory(
        opens_at=datetime(2022, 11, 10, tzinfo=BERLIN),
        closes_at=datetime(2023, 1, 8, 23, 59, tzinfo=BERLIN),
    )
    Milestone.objects.create(
        title="Umsetzung", starts_on=date(2023, 7, 1), phase=Phase.IMPLEMENTATION, call=call
    )
    Milestone.objects.create(
        title="Intern", starts_on=date(2023, 6, 1), phase=Phase.COUNCIL, call=call, public=False
    )
    Milestone.objects.create(title="Anderer Aufruf", starts_on=date(2023, 5, 1), phase="council")
    Event.objects.create(
        slug="sprint",
        title="Design-Sprint",
        kind=EventKind.DESIGN_SPRINT,
        starts_at=datetime(2023, 1, 26, 10, tzinfo=BERLIN),
        ends_at=datetime(2023, 1, 26, 16, tzinfo=BERLIN),
        call=call,
    )
    with django_assert_num_queries(2):
        steps = phases_of_call(call, today=date(2023, 8, 1))
    assert states(steps)["implementation"] == "now"
    assert steps[4].span is None  # neither the internal nor the other call's milestone
    assert steps[2].span.starts_on == date(2023, 1, 26)
