"""Every change to events and registrations goes through these functions.

Whoever changes the seats of an event locks the event's row first (`select_for_update`), then
the registration's: two people taking the last place at once are served one after the other,
and the second one finds the place taken and joins the waiting list.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from notices.services import notices_delete

from . import notices
from .models import ACTIVE_STATUSES, Event, IdeaReceipt, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

# A change of any of these is a change of time or place: participants are told.
TIME_AND_PLACE = ["starts_at", "ends_at", "format", "venue_name", "venue_address", "online_url"]
# Fields only the services write; an edit never counts them as a change.
BOOKKEEPING = {"id", "uid", "sequence", "created_at", "updated_at", "cancelled_at"}
BOOKKEEPING |= {"cancellation_reason"}


class RegistrationRefused(ValidationError):
    """Registering (or confirming) is not possible: closed, cancelled, over, or a bad link."""


class AlreadyRegistered(ValidationError):
    """The person holds a place or a place on the waiting list already."""

    def __init__(self, registration: Registration):
        if registration.is_waitlisted:
            message = _("You are already on the waiting list for this event.")
        else:
            message = _("You are already registered for this event.")
        super().__init__(message, code="duplicate")
        self.registration = registration


# --- Pure rules ---------------------------------------------------------------------------


def registration_refusal(*, event: Event, now: datetime) -> str | None:
    """Why nobody can register for the event at `now`, or None when one can."""
    if event.is_cancelled:
        return _("This event has been cancelled.")
    if event.has_ended(now):
        return _("This event has already taken place.")
    if not event.registration_enabled:
        return _("This event needs no registration: just come along.")
    if event.has_started(now):
        return _("This event has already started; registration is closed.")
    if now >= event.registration_closes_at:
        return _("The registration deadline for this event has passed.")
    return None


def seats_left(*, capacity: int | None, taken: int) -> int | None:
    """Free places (never below zero); None for an event without a limit."""
    if capacity is None:
        return None
    return max(capacity - taken, 0)


# --- Registrations ------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("call").get(pk=event_id)


def _seat(registration: Registration, event: Event, now: datetime) -> None:
    """Give a place if one is free and nobody waits for it; otherwise a place at the end of
    the waiting list. The caller holds the event's lock."""
    others = event.registrations.exclude(pk=registration.pk)
    taken = others.filter(status=RegistrationStatus.CONFIRMED).count()
    someone_waits = others.filter(status=RegistrationStatus.WAITLISTED).exists()
    free = seats_left(capacity=event.capacity, taken=taken)
    if free is None or (free > 0 and not someone_waits):
        registration.status = RegistrationStatus.CONFIRMED
        registration.seated_at = now
        registration.queued_at = None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.queued_at = now
        registration.seated_at = None
    registration.cancelled_at = None
    registration.save()
    notices.notice_registered(registration=registration, now=now)


def _fill_from_waiting_list(event: Event, now: datetime) -> list[Registration]:
    """Give free places to the waiting list, first come first served. The caller holds the
    event's lock. Nobody moves up once the event has started or was cancelled."""
    if event.is_cancelled or event.has_started(now):
        return []
    queue = event.registrations.waitlisted().select_for_update()
    if event.capacity is not None:
        free = seats_left(capacity=event.capacity, taken=event.registrations.confirmed().count())
        if not free:
            return []
        queue = queue[:free]
    moved = []
    for registration in queue:
        registration.status = RegistrationStatus.CONFIRMED
        registration.seated_at = now
        registration.save(update_fields=["status", "seated_at"])
        notices.notice_moved_up(registration=registration)
        audit_write(
            action="events.registration.moved_up",
            by=None,
            subject=event,
            registration=registration.pk,
        )
        moved.append(registration)
    return moved


def registration_request(
    *,
    event: Event,
    name: str,
    email: str = "",
    user=None,
    language: str = "de",
    address_confirmed: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Register for an event. `address_confirmed`: the caller has proved the address (a
    personal invitation link), so it is treated like an account's.

    With an account (whose address allauth has verified) the person gets a place, or a
    place on the waiting list, at once. Without one, the registration waits for the
    address to be confirmed through the link we mail (double opt-in) and holds no place
    until then. Sends the matching notice. Registering again without an account sends the
    earlier confirmation again (at most once a day) and reveals nothing on the page.

    Raises ValidationError (no name or address), RegistrationRefused (deadline passed,
    event over, started or cancelled) and AlreadyRegistered (an account holder who holds a
    place or waits for one).
    """
    now = now or timezone.now()
    account = user if user is not None and user.is_authenticated else None
    if account is not None:
        email = account.email
    email = (email or "").strip().lower()
    name = " ".join((name or "").split())[:100] or (account.public_name if account else "")
    errors = {}
    if not name:
        errors["name"] = _("Please enter your name.")
    if not email:
        errors["email"] = _("Please enter your email address.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        event = _lock_event(event.pk)
        refusal = registration_refusal(event=event, now=now)
        if refusal:
            raise RegistrationRefused(refusal, code="closed")
        same_person = Q(email=email) | Q(user=account) if account else Q(email=email)
        registration = (
            Registration.objects.select_for_update()
            .filter(same_person, event=event)
            .order_by("-user_id")
            .first()
        )
        if registration is not None and registration.is_active:
            if account is not None:
                raise AlreadyRegistered(registration)
            notices.notice_registered(registration=registration, now=now)
            return registration
        if registration is not None and registration.is_pending and account is None:
            notices.notice_registration_confirm(registration=registration, now=now)
            return registration
        if registration is None:
            registration = Registration(event=event, email=email)
        registration.name = name
        registration.created_at = now
        if account is not None or address_confirmed:
            registration.user = account
            registration.language = account.language if account else language
            registration.confirmed_at = now
            _seat(registration, event, now)
        else:
            registration.language = language
            registration.status = RegistrationStatus.PENDING
            registration.confirmed_at = None
            registration.cancelled_at = None
            registration.save()
            notices.notice_registration_confirm(registration=registration, now=now)
        audit_write(
            action="events.registration.requested",
            by=account,
            subject=event,
            registration=registration.pk,
            status=registration.status,
        )
    return registration


def registration_confirm(*, token: str, now: datetime | None = None) -> Registration:
    """Confirm the address of a registration without an account: it then gets a place or a
    place on the waiting list, and the matching notice. Confirming twice changes nothing.

    Raises RegistrationRefused for an unknown link, or when registration closed meanwhile.
    """
    now = now or timezone.now()
    found = Registration.objects.filter(token=token).values_list("pk", "event_id").first()
    if found is None:
        raise RegistrationRefused(_("This link is not valid."), code="invalid")
    with transaction.atomic():
        event = _lock_event(found[1])
        registration = Registration.objects.select_for_update().get(pk=found[0])
        if not registration.is_pending:
            return registration
        refusal = registration_refusal(event=event, now=now)
        if refusal:
            raise RegistrationRefused(refusal, code="closed")
        registration.confirmed_at = now
        _seat(registration, event, now)
        audit_write(
            action="events.registration.confirmed",
            by=None,
            subject=event,
            registration=registration.pk,
            status=registration.status,
        )
    return registration


def registration_cancel(
    *, registration: Registration, by=None, now: datetime | None = None
) -> Registration:
    """Cancel a registration (by its owner through the link or their account, or by staff).
    A freed place goes to the first person on the waiting list, who is told. Cancelling
    twice changes nothing.

    Raises RegistrationRefused once the event has started.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if event.has_started(now) and not event.is_cancelled:
            raise RegistrationRefused(
                _("This event has already started; the registration can no longer be cancelled.")
            )
        had_place = registration.is_confirmed
        old_status = registration.status
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.queued_at = None
        registration.save(update_fields=["status", "cancelled_at", "queued_at"])
        notices.notices_withdraw(registration=registration)
        audit_write(
            action="events.registration.cancelled",
            by=by,
            subject=event,
            registration=registration.pk,
            old_status=old_status,
        )
        if had_place:
            _fill_from_waiting_list(event, now)
    return registration


def registration_cancel_by_token(*, token: str, now: datetime | None = None) -> Registration:
    """Cancel through the link in a mail. Raises RegistrationRefused for a tampered link."""
    registration = Registration.objects.filter(token=token).first()
    if registration is None:
        raise RegistrationRefused(_("This link is not valid."), code="invalid")
    return registration_cancel(registration=registration, now=now)


def attendance_record(*, registrations: Iterable[Registration], attended: bool | None, by) -> int:
    """Record at the door who came (True), who did not (False), or forget it (None). Only
    registrations that hold or wait for a place count. Returns how many were recorded."""
    ids = [registration.pk for registration in registrations]
    count = 0
    with transaction.atomic():
        for registration in Registration.objects.select_for_update().filter(
            pk__in=ids, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
        ):
            if registration.attended == attended:
                continue
            registration.attended = attended
            registration.save(update_fields=["attended"])
            count += 1
        if count:
            audit_write(
                action="events.registration.attendance",
                by=by,
                registrations=ids,
                attended=attended,
            )
    return count


# --- Events -------------------------------------------------------------------------------


def _snapshot(event: Event) -> dict:
    return {
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "format": event.format,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
    }


def event_save(*, event: Event, by=None, now: datetime | None = None) -> Event:
    """Create or change an event. Every change raises the calendar SEQUENCE; a change of
    time or place is told to everyone with a place or on the waiting list (until the event
    is over); a larger capacity moves people up from the waiting list.

    Raises ValidationError for broken rules (ends before it starts, deadline after start).
    """
    now = now or timezone.now()
    with transaction.atomic():
        if event.pk is None:
            event.sequence = 0
            event.created_at = event.updated_at = now
            event.cancelled_at = None
            event.cancellation_reason = ""
            event.full_clean()
            event.save()
            audit_write(action="events.event.created", by=by, subject=event)
            return event
        old = _lock_event(event.pk)
        changed = [
            field.name
            for field in Event._meta.concrete_fields
            if field.name not in BOOKKEEPING
            and getattr(old, field.attname) != getattr(event, field.attname)
        ]
        # What only the services write stays as it is in the database.
        event.cancelled_at, event.cancellation_reason = old.cancelled_at, old.cancellation_reason
        event.sequence, event.updated_at = old.sequence, old.updated_at
        event.created_at, event.uid = old.created_at, old.uid
        if changed:
            event.sequence += 1
            event.updated_at = now
        event.full_clean()
        event.save()
        if not changed:
            return event
        audit_write(
            action="events.event.changed",
            by=by,
            subject=event,
            fields=changed,
            sequence=event.sequence,
        )
        moved = [name for name in TIME_AND_PLACE if name in changed]
        if moved and not event.is_cancelled and not old.has_ended(now):
            notices.notice_event_changed(event=event, changes=moved, old=_snapshot(old))
        if "capacity" in changed and (
            event.capacity is None or (old.capacity is not None and event.capacity > old.capacity)
        ):
            _fill_from_waiting_list(event, now)
    return event


def event_cancel(*, event: Event, reason: str, by=None, now: datetime | None = None) -> Event:
    """Cancel an event: raises its SEQUENCE (calendars show it as cancelled), tells everyone
    with a place or on the waiting list, and withdraws reminders not sent yet. Registrations
    stay on record. Cancelling twice changes nothing.

    Raises ValidationError without a reason or for an event that is over.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for cancelling.")})
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.is_cancelled:
            return event
        if event.has_ended(now):
            raise ValidationError(_("This event has already taken place."))
        event.cancelled_at = now
        event.cancellation_reason = reason
        event.sequence += 1
        event.updated_at = now
        event.save(update_fields=["cancelled_at", "cancellation_reason", "sequence", "updated_at"])
        notices.notice_event_cancelled(event=event)
        audit_write(action="events.event.cancelled", by=by, subject=event, reason=reason)
    return event


# --- Ideas handed in at an event ----------------------------------------------------------


def idea_receipt_record(*, idea, event: Event, by) -> IdeaReceipt:
    """Record that an idea was handed in at an event (called in the transaction that enters
    the idea, see review.services.idea_intake)."""
    receipt, _created = IdeaReceipt.objects.update_or_create(idea=idea, defaults={"event": event})
    audit_write(action="events.idea.received", by=by, subject=event, idea=idea.reference)
    return receipt


# --- Personal data: erasure (GDPR art. 17) and retention ------------------------------------

ERASED_EMAIL_DOMAIN = "erased.invalid"


def _registrations_anonymise(pks: list[int]) -> int:
    """Keep the rows (the event's numbers and attendance stay true) without the person: no
    name, no account, an address of the reserved .invalid domain that can receive nothing.
    Mails about these registrations go too."""
    by_event: dict[int, list[str]] = {}
    for event_id, email in Registration.objects.filter(pk__in=pks).values_list(
        "event_id", "email"
    ):
        by_event.setdefault(event_id, []).append(email)
    for event in Event.objects.filter(pk__in=by_event):
        notices_delete(subjects=[event], emails=by_event[event.pk])
    # The admin's history shows a registration by its name.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr="–")
    return Registration.objects.filter(pk__in=pks).update(
        name="",
        user=None,
        email=Concat(
            Value("erased-"),
            Cast("pk", output_field=CharField()),
            Value(f"@{ERASED_EMAIL_DOMAIN}"),
            output_field=CharField(),
        ),
    )


def registrations_personal_data_erase(
    *, user, emails: set[str], now: datetime | None = None
) -> int:
    """Before an account goes: cancel its registrations for events still ahead (a place
    goes to the waiting list, as on any cancellation) and anonymise all of them."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(Q(user=user) | Q(email__in=emails))
    with transaction.atomic():
        for registration in registrations.filter(
            status__in=[*ACTIVE_STATUSES, RegistrationStatus.PENDING], event__starts_at__gt=now
        ).select_related("event"):
            registration_cancel(registration=registration, by=None, now=now)
        return _registrations_anonymise(list(registrations.values_list("pk", flat=True)))


def registrations_purge(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Anonymise the registrations of events that ended more than
    MITMACHEN_EVENT_DATA_RETENTION_DAYS ago (names and addresses are needed for the door
    list and follow-up, not for ever). Idempotent, batched. Returns how many were changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MITMACHEN_EVENT_DATA_RETENTION_DAYS)
    due = Registration.objects.filter(event__ends_at__lt=cutoff).exclude(
        email__endswith=f"@{ERASED_EMAIL_DOMAIN}"
    )
    done = 0
    while True:
        pks = list(due.order_by("pk").values_list("pk", flat=True)[:batch])
        if not pks:
            return done
        with transaction.atomic():
            done += _registrations_anonymise(pks)
