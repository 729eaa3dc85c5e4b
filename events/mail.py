"""How the outbox (`ideas.notices.notice_render`) renders the notices about events: their
subject, the templates' context and the calendar file attached. Called inside the
recipient's language."""

from datetime import datetime
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _

from halle_smartcity.templatetags.kern import berlin
from ideas.models import Notice, NoticeKind

from .ics import event_ics, ics_filename
from .models import Registration, RegistrationStatus

# Kinds whose mail carries the event's calendar file.
WITH_CALENDAR = {
    NoticeKind.EVENT_REGISTERED,
    NoticeKind.EVENT_MOVED_UP,
    NoticeKind.EVENT_REMINDER,
    NoticeKind.EVENT_CHANGED,
    NoticeKind.EVENT_CANCELLED,
}


def _registration(notice: Notice) -> Registration | None:
    # Event and address are unique together; the mail is about this person's registration.
    cached = getattr(notice, "_registration", False)
    if cached is False:
        cached = (
            Registration.objects.filter(event_id=notice.event_id, email=notice.email)
            .select_related("user")
            .first()
        )
        notice._registration = cached
    return cached


def _absolute(path: str) -> str:
    return settings.MITMACHEN_SITE_URL.rstrip("/") + path


def mail_subject(notice: Notice) -> str:
    title = notice.event.title
    kind = notice.kind
    if kind == NoticeKind.EVENT_REGISTRATION_CONFIRM:
        return _("Please confirm your registration for “%(event)s”") % {"event": title}
    if kind == NoticeKind.EVENT_REGISTERED:
        if notice.data.get("status") == RegistrationStatus.WAITLISTED:
            return _("You are on the waiting list for “%(event)s”") % {"event": title}
        return _("Your place at “%(event)s” is confirmed") % {"event": title}
    if kind == NoticeKind.EVENT_MOVED_UP:
        return _("A place has become free: you can attend “%(event)s”") % {"event": title}
    if kind == NoticeKind.EVENT_REMINDER:
        return _("Reminder: “%(event)s” on %(date)s") % {
            "event": title,
            "date": berlin(notice.event.starts_at, False),
        }
    if kind == NoticeKind.EVENT_CHANGED:
        return _("Changed: “%(event)s”") % {"event": title}
    if kind == NoticeKind.EVENT_CANCELLED:
        return _("Cancelled: “%(event)s”") % {"event": title}
    raise ValueError(f"Not an event notice: {kind}")


def mail_context(notice: Notice) -> dict:
    """What the templates under templates/events/mail/ need."""
    event = notice.event
    registration = _registration(notice)
    context = {
        "event": event,
        "registration": registration,
        "event_url": _absolute(event.get_absolute_url()),
        "manage_url": _absolute(registration.get_absolute_url()) if registration else None,
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
        notice.kind == NoticeKind.EVENT_REGISTERED
        and notice.data.get("status") != RegistrationStatus.CONFIRMED
    ):
        return []  # a place on the waiting list is not yet a date for the calendar
    content = event_ics(notice.event, registration=registration)
    return [(ics_filename(notice.event), content, "text/calendar")]
