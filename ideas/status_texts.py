"""What each status of an idea means for the person who gave it, and what comes next: one
home for these sentences (the idea's page shows them; the status workflow itself is
`review/workflow.py`). English source, German in the catalogue."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Status


@dataclass(frozen=True)
class StatusText:
    meaning: Promise
    next_step: Promise


STATUS_TEXTS: dict[str, StatusText] = {
    Status.DRAFT: StatusText(
        _("This idea is a draft: only you can see it."),
        _("Submit it before the deadline so that the city can consider it."),
    ),
    Status.SUBMITTED: StatusText(
        _("The idea has arrived and is published."),
        _("After the deadline the city checks every idea for completeness and fit with the call."),
    ),
    Status.SCREENED: StatusText(
        _("The city has checked the idea: it is complete and fits the call."),
        _("Next, experts assess it against the published criteria."),
    ),
    Status.IN_QUALIFICATION: StatusText(
        _("Experts are assessing the idea against the published criteria."),
        _("Ideas that qualify are developed further in workshops with the people who gave them."),
    ),
    Status.QUALIFIED: StatusText(
        _("The idea has qualified: it meets the criteria."),
        _("It can now become part of a measure that the city council decides on."),
    ),
    Status.IN_MEASURE: StatusText(
        _("The idea has become part of a measure."),
        _("The measure goes to the city council for decision and then into implementation."),
    ),
    Status.POOL: StatusText(
        _("The idea is kept in the idea pool for later."),
        _("It can be taken up again when funding or a suitable project comes along."),
    ),
    Status.NOT_PURSUED: StatusText(
        _("The idea is not being pursued further."),
        _("The city's feedback on this page explains why."),
    ),
    Status.DUPLICATE: StatusText(
        _("A very similar idea was submitted too."),
        _("Both are taken further together, under the other idea."),
    ),
}


def status_text(status: str) -> StatusText | None:
    return STATUS_TEXTS.get(status)
