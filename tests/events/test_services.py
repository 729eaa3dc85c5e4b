"""Registration, the waiting list, changes and cancellations: the rules in events.services."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from audit.models import AuditEntry
from events import notices as event_notices
from events import services
from events.models import Event, Registration, RegistrationStatus
from events.services import AlreadyRegistered, RegistrationRefused, registration_refusal
from notices.models import Notice, NoticeState
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The reasons are checked by their English source text.
    with translation.override("en"):
        yield


def notices_to(email, kind=None):
    notices = Notice.objects.filter(email=email)
    if kind:
        notices = notices.filter(kind=kind)
    return list(notices)


# --- Pure rules ---------------------------------------------------------------------------


def test_registration_refusal_names_every_reason():
    now = timezone.now()
    event = Event(
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        registration_enabled=True,
    )
    assert registration_refusal(event=event, now=now) is None
    event.registration_deadline = now - timedelta(minutes=1)
    assert "deadline" in registration_refusal(event=event, now=now)
    event.registration_deadline = None
    assert "started" in registration_refusal(event=event, now=now + timedelta(days=2, hours=1))
    assert "taken place" in registration_refusal(event=event, now=now + timedelta(days=3))
    event.cancelled_at = now
    assert "cancelled" in registration_refusal(event=event, now=now)
    event.cancelled_at = None
    event.registration_enabled = False
    assert "no registration" in registration_refusal(event=event, now=now)


def test_seats_left_never_goes_below_zero():
    assert services.seats_left(capacity=None, taken=500) is None
    assert services.seats_left(capacity=3, taken=1) == 2
    assert services.seats_left(capacity=3, taken=5) == 0


# --- Registering --------------------------------------------------------------------------


def test_account_holder_gets_a_place_and_a_confirmation():
    event = EventFactory(capacity=2)
    user = UserFactory()
    registration = services.registration_request(event=event, name="Anna", user=user)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == user.email
    assert registration.seated_at is not None
    [notice] = notices_to(user.email, event_notices.EVENT_REGISTERED)
    assert notice.subject == event
    assert notice.data["status"] == "confirmed"
    assert AuditEntry.objects.filter(action="events.registration.requested").exists()


def test_full_event_puts_the_next_person_on_the_waiting_list_in_order():
    event = EventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    services.registration_request(event=event, name="Erste", user=first)
    waiting = services.registration_request(event=event, name="Zweite", user=second)
    later = services.registration_request(event=event, name="Dritte", user=third)
    assert waiting.status == later.status == RegistrationStatus.WAITLISTED
    assert list(event.registrations.waitlisted()) == [waiting, later]
    [notice] = notices_to(second.email, event_notices.EVENT_REGISTERED)
    assert notice.data["status"] == "waitlisted"


def test_registering_twice_with_an_account_is_refused_clearly():
    event = EventFactory()
    user = UserFactory()
    services.registration_request(event=event, name="Anna", user=user)
    with pytest.raises(
        AlreadyRegistered, match="You are already registered for this event"
    ) as error:
        services.registration_request(event=event, name="Anna", user=user)
    assert "already registered" in error.value.message
    assert event.registrations.count() == 1


def test_without_an_account_the_address_is_confirmed_first():
    event = EventFactory(capacity=5)
    registration = services.registration_request(
        event=event, name="Bernd Gast", email=" Bernd@Example.org ", language="en"
    )
    assert registration.status == RegistrationStatus.PENDING
    assert registration.email == "bernd@example.org"
    assert registration.language == "en"
    [notice] = notices_to("bernd@example.org")
    assert notice.kind == event_notices.EVENT_REGISTRATION_CONFIRM
    assert event.registrations.confirmed().count() == 0  # a pending one holds no place

    confirmed = services.registration_confirm(token=registration.token)
    assert confirmed.status == RegistrationStatus.CONFIRMED
    assert notices_to("bernd@example.org", event_notices.EVENT_REGISTERED)
    # Confirming again changes nothing and sends nothing.
    again = services.registration_confirm(token=registration.token)
    assert again.status == RegistrationStatus.CONFIRMED
    assert len(notices_to("bernd@example.org")) == 2


def test_registering_twice_without_an_account_resends_nothing_new_the_same_day():
    event = EventFactory()
    first = services.registration_request(event=event, name="Gast", email="gast@example.org")
    second = services.registration_request(event=event, name="Gast", email="gast@example.org")
    assert first.pk == second.pk
    assert Registration.objects.count() == 1
    assert len(notices_to("gast@example.org")) == 1  # one confirmation mail a day at most


def test_confirming_after_the_deadline_is_refused_and_nothing_is_lost():
    event = EventFactory()
    registration = services.registration_request(event=event, name="Gast", email="g@example.org")
    later = event.starts_at - timedelta(minutes=5)
    Event.objects.filter(pk=event.pk).update(registration_deadline=later - timedelta(hours=1))
    with pytest.raises(
        RegistrationRefused, match="The registration deadline for this event has"
    ) as error:
        services.registration_confirm(token=registration.token, now=later)
    assert error.value.code == "closed"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_a_tampered_confirmation_link_is_refused():
    with pytest.raises(RegistrationRefused, match="This link is not valid") as error:
        services.registration_confirm(token="erfunden")
    assert error.value.code == "invalid"
    with pytest.raises(RegistrationRefused, match="This link is not valid"):
        services.registration_cancel_by_token(token="erfunden")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"registration_deadline_hours_before": 1}, "deadline"),
        ({"starts_in_hours": -1}, "started"),
        ({"starts_in_hours": -30}, "taken place"),
        ({"cancelled": True}, "cancelled"),
    ],
)
def test_registering_late_or_for_a_past_or_cancelled_event_is_refused(change, reason):
    now = timezone.now()
    starts_at = now + timedelta(hours=change.get("starts_in_hours", 2))
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    if "registration_deadline_hours_before" in change:
        Event.objects.filter(pk=event.pk).update(
            registration_deadline=now
            - timedelta(hours=change["registration_deadline_hours_before"])
        )
    if change.get("cancelled"):
        services.event_cancel(event=event, reason="Krankheit")
    event.refresh_from_db()
    with pytest.raises(RegistrationRefused, match=re.escape(reason)):
        services.registration_request(event=event, name="Zu spät", user=UserFactory())
    assert not event.registrations.filter(name="Zu spät").exists()


def test_name_and_address_are_required_without_an_account():
    with pytest.raises(ValidationError, match="Please enter your name") as error:
        services.registration_request(event=EventFactory(), name=" ", email="")
    assert set(error.value.message_dict) == {"name", "email"}


# --- Cancelling and moving up -------------------------------------------------------------


def test_cancelling_moves_the_first_on_the_waiting_list_up_and_tells_them():
    event = EventFactory(capacity=1)
    holder = services.registration_request(event=event, name="A", user=UserFactory())
    first = services.registration_request(event=event, name="B", user=UserFactory())
    second = services.registration_request(event=event, name="C", user=UserFactory())

    services.registration_cancel(registration=holder)

    holder.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITLISTED
    [moved] = notices_to(first.email, event_notices.EVENT_MOVED_UP)
    assert moved.state == NoticeState.PENDING
    assert not notices_to(second.email, event_notices.EVENT_MOVED_UP)
    assert AuditEntry.objects.filter(action="events.registration.moved_up").count() == 1


def test_cancelling_twice_changes_nothing():
    event = EventFactory(capacity=1)
    holder = services.registration_request(event=event, name="A", user=UserFactory())
    waiting = services.registration_request(event=event, name="B", user=UserFactory())
    services.registration_cancel(registration=holder)
    services.registration_cancel(registration=holder)
    third = services.registration_request(event=event, name="C", user=UserFactory())
    assert third.status == RegistrationStatus.WAITLISTED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert event.registrations.confirmed().count() == 1


def test_leaving_the_waiting_list_moves_nobody_up():
    event = EventFactory(capacity=1)
    services.registration_request(event=event, name="A", user=UserFactory())
    waiting = services.registration_request(event=event, name="B", user=UserFactory())
    later = services.registration_request(event=event, name="C", user=UserFactory())
    services.registration_cancel(registration=waiting)
    later.refresh_from_db()
    assert later.status == RegistrationStatus.WAITLISTED


def test_nobody_moves_up_once_the_event_has_started():
    event = EventFactory(capacity=1)
    holder = services.registration_request(event=event, name="A", user=UserFactory())
    services.registration_request(event=event, name="B", user=UserFactory())
    with pytest.raises(
        RegistrationRefused, match="This event has already started; the registration"
    ):
        services.registration_cancel(
            registration=holder, now=event.starts_at + timedelta(minutes=1)
        )


def test_a_cancelled_registration_may_register_again_at_the_end_of_the_line():
    event = EventFactory(capacity=1)
    user = UserFactory()
    first = services.registration_request(event=event, name="A", user=user)
    services.registration_request(event=event, name="B", user=UserFactory())
    services.registration_cancel(registration=first)
    again = services.registration_request(event=event, name="A", user=user)
    assert again.pk == first.pk
    assert again.status == RegistrationStatus.WAITLISTED


def test_cancelling_withdraws_a_reminder_still_in_the_outbox():
    event = EventFactory(capacity=3)
    registration = RegistrationFactory(event=event)
    Notice.objects.create(
        kind=event_notices.EVENT_REMINDER,
        email=registration.email,
        subject=event,
        dedupe_key="reminder-test",
    )
    services.registration_cancel(registration=registration)
    assert Notice.objects.get(dedupe_key="reminder-test").state == NoticeState.CANCELLED


# --- Changing and cancelling events -------------------------------------------------------


def test_every_change_raises_the_sequence_and_time_or_place_changes_are_told():
    event = services.event_save(event=EventFactory.build(capacity=3))
    assert event.sequence == 0
    holder = services.registration_request(event=event, name="A", user=UserFactory())

    event.summary = "Neue Zusammenfassung"
    event = services.event_save(event=event)
    assert event.sequence == 1
    assert not notices_to(holder.email, event_notices.EVENT_CHANGED)  # not time or place

    old_start = event.starts_at
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event = services.event_save(event=event)
    assert event.sequence == 2
    [notice] = notices_to(holder.email, event_notices.EVENT_CHANGED)
    assert notice.data["changes"] == ["starts_at", "ends_at"]
    assert notice.data["old"]["starts_at"] == old_start.isoformat()

    # Saving without a change changes nothing.
    event = services.event_save(event=Event.objects.get(pk=event.pk))
    assert event.sequence == 2


def test_a_larger_capacity_moves_people_up():
    event = services.event_save(event=EventFactory.build(capacity=1))
    services.registration_request(event=event, name="A", user=UserFactory())
    waiting = [
        services.registration_request(event=event, name=name, user=UserFactory()) for name in "BCD"
    ]
    event.capacity = 3
    services.event_save(event=event)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_event_save_keeps_what_only_the_services_write():
    event = services.event_save(event=EventFactory.build())
    services.event_cancel(event=event, reason="Sturmwarnung")
    stale = Event.objects.get(pk=event.pk)
    stale.cancelled_at = None
    stale.sequence = 0
    stale.title = "Neuer Titel"
    saved = services.event_save(event=stale)
    assert saved.is_cancelled
    assert saved.sequence == 2


def test_cancelling_an_event_tells_everyone_with_a_place_or_waiting():
    event = EventFactory(capacity=1)
    holder = services.registration_request(event=event, name="A", user=UserFactory())
    waiting = services.registration_request(event=event, name="B", user=UserFactory())
    pending = services.registration_request(event=event, name="C", email="c@example.org")
    services.event_cancel(event=event, reason="Der Saal ist gesperrt.")
    event.refresh_from_db()
    assert event.is_cancelled
    assert event.sequence == 1
    assert notices_to(holder.email, event_notices.EVENT_CANCELLED)
    assert notices_to(waiting.email, event_notices.EVENT_CANCELLED)
    assert not notices_to(pending.email, event_notices.EVENT_CANCELLED)
    # Cancelling again changes nothing.
    services.event_cancel(event=event, reason="Noch einmal")
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.cancellation_reason == "Der Saal ist gesperrt."


def test_cancelling_needs_a_reason():
    with pytest.raises(ValidationError, match="Please give a reason for cancelling"):
        services.event_cancel(event=EventFactory(), reason="  ")


def test_attendance_is_recorded_for_people_with_a_place_only():
    event = EventFactory(capacity=5)
    came = RegistrationFactory(event=event)
    cancelled = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    staff = UserFactory(is_staff=True)
    count = services.attendance_record(registrations=[came, cancelled], attended=True, by=staff)
    assert count == 1
    came.refresh_from_db()
    cancelled.refresh_from_db()
    assert came.attended is True
    assert cancelled.attended is None
