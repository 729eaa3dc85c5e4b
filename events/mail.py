"""How the outbox (notices.outbox) renders the notices about events: their subject, the
templates' context and the calendar file attached (registered with notices.registry).
Called inside the recipient's language."""

from datetime import datetime
from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halle_smartcity.site import absolute_url
from halle_smartcity.templatetags.kern import berlin
from notices import registry
from notices.models import Notice

from .ics import event_ics, ics_filename
from .models import Registration, RegistrationStatus
from .notices import (
    EVENT_CANCELLED,
    EVENT_CHANGED,
    EVENT_MOVED_UP,
    EVENT_REGISTERED,
    EVENT_REGISTRATION_CONFIRM,
    EVENT_REMINDER,
)
from .permissions import can_see_participants

# Kinds whose mail carries the event's calendar file.
WITH_CALENDAR = {
    EVENT_REGISTERED,
    EVENT_MOVED_UP,
    EVENT_REMINDER,
    EVENT_CHANGED,
    EVENT_CANCELLED,
}


def _registration(notice: Notice) -> Registration | None:
    # Event and address are unique together; the mail is about this person's registration.
    cached = getattr(notice, "_registration", False)
    if cached is False:
        cached = (
            Registration.objects.filter(event_id=notice.subject_id, email=notice.email)
            .select_related("user")
            .first()
        )
        notice._registration = cached
    return cached


def mail_subject(notice: Notice) -> str:
    title = notice.subject.title
    kind = notice.kind
    if kind == EVENT_REGISTRATION_CONFIRM:
        return _("Please confirm your registration for “%(event)s”") % {"event": title}
    if kind == EVENT_REGISTERED:
        if notice.data.get("status") == RegistrationStatus.WAITLISTED:
            return _("You are on the waiting list for “%(event)s”") % {"event": title}
        return _("Your place at “%(event)s” is confirmed") % {"event": title}
    if kind == EVENT_MOVED_UP:
        return _("A place has become free: you can attend “%(event)s”") % {"event": title}
    if kind == EVENT_REMINDER:
        return _("Reminder: “%(event)s” on %(date)s") % {
            "event": title,
            "date": berlin(notice.subject.starts_at, False),
        }
    if kind == EVENT_CHANGED:
        return _("Changed: “%(event)s”") % {"event": title}
    if kind == EVENT_CANCELLED:
        return _("Cancelled: “%(event)s”") % {"event": title}
    raise ValueError(f"Not an event notice: {kind}")


def mail_context(notice: Notice) -> dict:
    """What the templates under templates/events/mail/ need."""
    event = notice.subject
    registration = _registration(notice)
    context = {
        "event": event,
        "registration": registration,
        "event_url": absolute_url(event.get_absolute_url()),
        "manage_url": absolute_url(registration.get_absolute_url()) if registration else None,
        "waitlisted": notice.data.get("status") == RegistrationStatus.WAITLISTED,
        "online_url": (
            event.online_url
            if registration is not None
            and registration.is_confirmed
            and event.is_online
            and not event.is_cancelled
            else ""
        ),
        "changes": notice.data.get("changes", []),
    }
    old = dict(notice.data.get("old", {}))
    for name in ("starts_at", "ends_at"):
        if old.get(name):
            old[name] = datetime.fromisoformat(old[name])
    context["old"] = old
    if registration is not None:
        # Greet the person by the name they gave, with or without an account.
        context["recipient"] = SimpleNamespace(public_name=registration.name)
    return context


def mail_attachments(notice: Notice) -> list[tuple[str, bytes, str]]:
    """The event's calendar file, with the online link for a participant with a place."""
    if notice.kind not in WITH_CALENDAR:
        return []
    registration = _registration(notice)
    if (
        notice.kind == EVENT_REGISTERED
        and notice.data.get("status") != RegistrationStatus.CONFIRMED
    ):
        return []  # a place on the waiting list is not yet a date for the calendar
    content = event_ics(notice.subject, registration=registration)
    return [(ics_filename(notice.subject), content, "text/calendar")]


def _register(code: str, label, *, optional: bool = False) -> None:
    registry.register(
        registry.Kind(
            code=code,
            label=label,
            template=f"events/mail/{code}",
            subject=mail_subject,
            context=mail_context,
            attachments=mail_attachments,
            optional=optional,
            # Who registered for which event is for those who may see participants.
            visible_to=can_see_participants,
        )
    )


_register(EVENT_REGISTRATION_CONFIRM, gettext_lazy("Confirm event registration"))
_register(EVENT_REGISTERED, gettext_lazy("Event registration received"))
_register(EVENT_MOVED_UP, gettext_lazy("Place at an event from the waiting list"))
_register(EVENT_REMINDER, gettext_lazy("Event reminder the day before"), optional=True)
_register(EVENT_CHANGED, gettext_lazy("Event changed"))
_register(EVENT_CANCELLED, gettext_lazy("Event cancelled"))
