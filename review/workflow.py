"""The status workflow of an idea after submission: which status may follow which. A pure
rule, no database; `review.services.idea_transition` enforces it."""

from ideas.models import Status

# Which status may follow which. Moving back is allowed where staff correct a decision.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.SCREENED, Status.DUPLICATE, Status.NOT_PURSUED},
    Status.SCREENED: {Status.IN_QUALIFICATION, Status.POOL, Status.NOT_PURSUED, Status.DUPLICATE},
    Status.IN_QUALIFICATION: {Status.QUALIFIED, Status.POOL, Status.NOT_PURSUED, Status.DUPLICATE},
    Status.QUALIFIED: {
        Status.IN_MEASURE,
        Status.IN_QUALIFICATION,
        Status.POOL,
        Status.NOT_PURSUED,
    },
    Status.IN_MEASURE: {Status.QUALIFIED},
    Status.POOL: {Status.SCREENED, Status.IN_QUALIFICATION, Status.NOT_PURSUED},
    Status.NOT_PURSUED: {Status.SCREENED},
    Status.DUPLICATE: {Status.SCREENED},
}
# Reached only through their own service, which records what belongs to them:
# a duplicate names its original, an idea in a measure is in the measure (measures app).
VIA_DUPLICATE = "idea_mark_duplicate"
VIA_MEASURE = "measure"
SPECIAL = {Status.DUPLICATE: VIA_DUPLICATE, Status.IN_MEASURE: VIA_MEASURE}


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())
