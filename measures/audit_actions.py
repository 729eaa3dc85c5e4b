"""What the measures' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry

from .models import Measure, MeasureStatus, WorkshopResult


def _ideas(data: dict) -> str:
    return ", ".join(data.get("ideas", [])) or "–"


def _status(data: dict) -> str:
    labels = dict(MeasureStatus.choices)
    sentence = _("From “%(old)s” to “%(new)s”.") % {
        "old": labels.get(data.get("old"), data.get("old")),
        "new": labels.get(data.get("new"), data.get("new")),
    }
    if data.get("reason"):
        sentence += " " + _("Reason: %(reason)s") % {"reason": data["reason"]}
    return sentence


def _rows(data: dict) -> str:
    return (
        "; ".join(
            " · ".join(str(value) for value in row.values() if value not in (None, ""))
            for row in data.get("rows", [])
        )
        or "–"
    )


registry.register("measures.measure.created", gettext_lazy("Measure created"))
registry.register(
    "measures.measure.changed",
    gettext_lazy("Measure changed"),
    registry.changed_fields(Measure),
)
registry.register(
    "measures.measure.fields_set",
    gettext_lazy("Action fields of the measure set"),
    lambda data: ", ".join(data.get("fields", [])) or "–",
)
registry.register(
    "measures.measure.quarters_set",
    gettext_lazy("Quarters of the measure set"),
    lambda data: ", ".join(data.get("quarters", [])) or "–",
)
registry.register("measures.measure.ideas_added", gettext_lazy("Ideas joined the measure"), _ideas)
registry.register("measures.measure.ideas_removed", gettext_lazy("Ideas left the measure"), _ideas)
registry.register(
    "measures.measure.contribution_set",
    gettext_lazy("Contribution of a source idea recorded"),
    lambda data: f"{data.get('idea', '')}: {data.get('text', '')}",
)
registry.register(
    "measures.measure.status_changed", gettext_lazy("Status of the measure changed"), _status
)
registry.register(
    "measures.update.published",
    gettext_lazy("Update on the measure published"),
    lambda data: data.get("text", ""),
)
registry.register(
    "measures.measure.milestones_set", gettext_lazy("Timeline of the measure set"), _rows
)
registry.register(
    "measures.measure.indicators_set", gettext_lazy("Indicators of the measure set"), _rows
)
registry.register(
    "measures.measure.deleted",
    gettext_lazy("Measure deleted"),
    lambda data: data.get("title", ""),
)
registry.register(
    "measures.invitations.sent",
    gettext_lazy("Idea givers invited to a workshop"),
    lambda data: (
        _(
            "%(invited)s invited by email, %(letters)s by letter; not invited: %(declined)s "
            "declined workshops, %(no_contact)s without contact, %(already)s invited before."
        )
        % {
            key: data.get(key, 0)
            for key in ("invited", "letters", "declined", "no_contact", "already")
        }
    ),
)
registry.register(
    "measures.invitation.answered",
    gettext_lazy("Invitation to a workshop answered"),
    lambda data: f"{data.get('idea', '')}: {data.get('status', '')}",
)
registry.register("measures.workshop_result.recorded", gettext_lazy("Workshop result recorded"))
registry.register(
    "measures.workshop_result.changed",
    gettext_lazy("Workshop result changed"),
    registry.changed_fields(WorkshopResult),
)
