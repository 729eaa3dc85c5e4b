"""What the events' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import registry

from .models import Event, Milestone, Publication, RegistrationStatus


def _status(code: str) -> str:
    return RegistrationStatus(code).label if code in RegistrationStatus.values else code


def _attendance(attended: bool | None, count: int) -> str:
    if attended is True:
        sentence = ngettext("%(count)d person: attended", "%(count)d people: attended", count)
    elif attended is False:
        sentence = ngettext(
            "%(count)d person: did not attend", "%(count)d people: did not attend", count
        )
    else:
        sentence = ngettext(
            "%(count)d person: attendance cleared", "%(count)d people: attendance cleared", count
        )
    return sentence % {"count": count}


registry.register("events.event.created", gettext_lazy("Event created"))
registry.register(
    "events.event.changed",
    gettext_lazy("Event changed"),
    registry.changed_fields(Event),
)
registry.register(
    "events.event.cancelled",
    gettext_lazy("Event cancelled"),
    lambda data: data.get("reason", ""),
)
registry.register(
    "events.registration.requested",
    gettext_lazy("Registration for the event"),
    lambda data: _status(data.get("status", "")),
)
registry.register(
    "events.registration.confirmed",
    gettext_lazy("Registration confirmed by email"),
    lambda data: _status(data.get("status", "")),
)
registry.register(
    "events.registration.cancelled",
    gettext_lazy("Registration cancelled"),
    lambda data: (
        _("Registration no. %(number)s, before: %(status)s")
        % {"number": data["registration"], "status": _status(data.get("old_status", ""))}
    ),
)
registry.register(
    "events.registration.moved_up",
    gettext_lazy("Moved up from the waiting list"),
    lambda data: _("Registration no. %(number)s") % {"number": data["registration"]},
)
registry.register(
    "events.registration.attendance",
    gettext_lazy("Attendance recorded"),
    lambda data: _attendance(data.get("attended"), len(data.get("registrations", []))),
)


registry.register("events.milestone.created", gettext_lazy("Milestone added to the timeline"))
registry.register(
    "events.milestone.changed",
    gettext_lazy("Milestone changed"),
    registry.changed_fields(Milestone),
)
registry.register(
    "events.milestone.deleted",
    gettext_lazy("Milestone deleted"),
    lambda data: data.get("name", ""),
)
registry.register("events.publication.created", gettext_lazy("Publication added to the press log"))
registry.register(
    "events.publication.changed",
    gettext_lazy("Publication changed"),
    registry.changed_fields(Publication),
)
registry.register(
    "events.publication.deleted",
    gettext_lazy("Publication deleted"),
    lambda data: data.get("name", ""),
)
registry.register(
    "events.idea.received",
    gettext_lazy("Idea handed in at the event"),
    lambda data: data.get("idea", ""),
)
