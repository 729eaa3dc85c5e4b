"""The notices about events, written to the outbox (notices app) in the caller's
transaction, and the day-before reminders that beat plans from the current data. How they
are rendered is registered in events.mail."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from notices.services import Recipient, moment_key, notices_cancel, notices_create

from .models import Event, Registration, RegistrationStatus

EVENT_REGISTRATION_CONFIRM = "event_registration_confirm"
EVENT_REGISTERED = "event_registered"
EVENT_MOVED_UP = "event_moved_up"
EVENT_REMINDER = "event_reminder"
EVENT_CHANGED = "event_changed"
EVENT_CANCELLED = "event_cancelled"

# The reminder goes out from this time on the day before the event (Berlin time).
REMINDER_TIME = time(10, 0)


# --- Pure rules ---------------------------------------------------------------------------


def reminder_window_start(starts_at: datetime) -> datetime:
    """When the reminder for an event starting at `starts_at` is due: at REMINDER_TIME on the
    Berlin calendar's day before, whatever the daylight saving time does in between."""
    local = timezone.localtime(starts_at)
    day_before = local.date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_TIME, tzinfo=local.tzinfo)


def reminder_due(*, now: datetime, starts_at: datetime) -> bool:
    return reminder_window_start(starts_at) <= now < starts_at


# --- Writing notices ----------------------------------------------------------------------


def _recipient(registration: Registration) -> Recipient:
    return Recipient(
        email=registration.email,
        language=registration.language,
        user_id=registration.user_id,
    )


def notice_registration_confirm(*, registration: Registration, now: datetime) -> int:
    """Ask the owner of the address to confirm a registration without an account (double
    opt-in); at most one such mail per registration and day."""
    return notices_create(
        kind=EVENT_REGISTRATION_CONFIRM,
        recipients=[_recipient(registration)],
        key=f"event-confirm:{registration.pk}:{timezone.localdate(now).isoformat()}",
        subject=registration.event,
    )


def notice_registered(*, registration: Registration, now: datetime) -> int:
    """Tell a person they have a place, or a place on the waiting list. Asking again on the
    same day writes nothing new."""
    return notices_create(
        kind=EVENT_REGISTERED,
        recipients=[_recipient(registration)],
        key=(
            f"event-registered:{registration.pk}:{registration.status}:"
            f"{timezone.localdate(now).isoformat()}"
        ),
        subject=registration.event,
        data={"status": registration.status},
    )


def notice_moved_up(*, registration: Registration) -> int:
    """Tell a person on the waiting list that they now have a place."""
    return notices_create(
        kind=EVENT_MOVED_UP,
        recipients=[_recipient(registration)],
        key=f"event-moved-up:{registration.pk}:{moment_key(registration.seated_at)}",
        subject=registration.event,
    )


def _to_each(
    kind: str, event: Event, registrations: Iterable[Registration], key: str, data: dict
) -> int:
    # One batch: each mail finds its registration (and so its own links) by event and
    # address, which are unique together.
    return notices_create(
        kind=kind,
        recipients=[_recipient(registration) for registration in registrations],
        key=key,
        subject=event,
        data=data,
    )


def notice_event_changed(*, event: Event, changes: list[str], old: dict) -> int:
    """Tell everyone with a place or on the waiting list that the time or place changed."""
    return _to_each(
        EVENT_CHANGED,
        event,
        event.registrations.active(),
        f"event-changed:{event.pk}:{event.sequence}",
        {"changes": changes, "old": old},
    )


def notice_event_cancelled(*, event: Event) -> int:
    """Tell everyone with a place or on the waiting list that the event is cancelled, and
    withdraw reminders not sent yet."""
    notices_cancel(subject=event, kinds=[EVENT_REMINDER])
    return _to_each(
        EVENT_CANCELLED, event, event.registrations.active(), f"event-cancelled:{event.pk}", {}
    )


def notices_withdraw(*, registration: Registration) -> int:
    """A cancelled registration gets no reminder that is still waiting in the outbox."""
    return notices_cancel(
        subject=registration.event,
        kinds=[EVENT_REMINDER, EVENT_MOVED_UP],
        emails=[registration.email],
    )


# --- Planning what beat computes from the current data -------------------------------------


def event_reminders_plan(*, now: datetime | None = None) -> int:
    """Write the reminders due now: on the day before an event, to everyone who had a place
    before the reminder time (later arrivals just got a mail with everything). Safe to run
    as often as one likes: the key names the start, so a moved event gets a reminder for
    its new date and the old one is neither repeated nor sent late."""
    now = now or timezone.now()
    created = 0
    soon = Event.objects.filter(
        cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + timedelta(days=2)
    ).select_related("call")
    for event in soon:
        if not reminder_due(now=now, starts_at=event.starts_at):
            continue
        window = reminder_window_start(event.starts_at)
        participants = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, seated_at__lt=window
        )
        with transaction.atomic():
            created += _to_each(
                EVENT_REMINDER,
                event,
                participants,
                f"event-reminder:{event.pk}:{moment_key(event.starts_at)}",
                {},
            )
    return created
