"""A measure's way through the strategy: which status follows which. A pure rule, no
database; `measures.profiles.measure_status_change` enforces it."""

from .models import MeasureStatus

# The path a measure takes; "not pursued" may end it at any step.
PATH = [
    MeasureStatus.IN_QUALIFICATION,
    MeasureStatus.IN_DRAFT,
    MeasureStatus.ADOPTED,
    MeasureStatus.IN_IMPLEMENTATION,
    MeasureStatus.COMPLETED,
]


def is_next_step(from_status: str, to_status: str) -> bool:
    """True for the next step on the path, or for leaving it as "not pursued"; any other
    change (skipping steps, going back, taking up a dropped measure) needs a reason."""
    if to_status == MeasureStatus.NOT_PURSUED:
        return from_status != MeasureStatus.NOT_PURSUED
    if from_status not in PATH or to_status not in PATH:
        return False
    return PATH.index(to_status) == PATH.index(from_status) + 1

