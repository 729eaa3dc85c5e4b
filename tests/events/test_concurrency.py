"""Races for the last places, on PostgreSQL with real threads (each with its own database
connection and transaction). The services lock the event's row; a pause inside the critical
section makes sure the requests really overlap."""

import threading
import time

import pytest
from django.db import connections

from events import services
from events.models import Registration, RegistrationStatus
from tests.factories import UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_seat_count(monkeypatch):
    """Widen the window between counting the places and taking one: without the row lock,
    every request would count the same free place."""
    original = services.seats_left

    def slow(**kwargs):
        time.sleep(0.15)
        return original(**kwargs)

    monkeypatch.setattr(services, "seats_left", slow)


def at_once(*calls):
    """Run the calls in parallel threads, released together; returns results and errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_two_people_taking_the_last_place_at_once(slow_seat_count):
    event = EventFactory(capacity=1)
    anna, bernd = UserFactory(), UserFactory()
    results, errors = at_once(
        lambda: services.registration_request(event=event, name="Anna", user=anna),
        lambda: services.registration_request(event=event, name="Bernd", user=bernd),
    )
    assert errors == [None, None]
    assert sorted(registration.status for registration in results) == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert event.registrations.confirmed().count() == 1
    assert event.registrations.waitlisted().count() == 1


def test_many_at_once_fill_exactly_the_capacity(slow_seat_count):
    event = EventFactory(capacity=3)
    users = [UserFactory() for _ in range(8)]
    _, errors = at_once(
        *[
            (lambda user=user: services.registration_request(event=event, name="X", user=user))
            for user in users
        ]
    )
    assert errors == [None] * 8
    assert event.registrations.confirmed().count() == 3
    waiting = list(event.registrations.waitlisted())
    assert len(waiting) == 5
    # The line is served in the order people joined it.
    assert [r.queued_at for r in waiting] == sorted(r.queued_at for r in waiting)


def test_the_same_person_registering_twice_at_once_gets_one_registration(slow_seat_count):
    event = EventFactory(capacity=5)
    anna = UserFactory()
    _, errors = at_once(
        lambda: services.registration_request(event=event, name="Anna", user=anna),
        lambda: services.registration_request(event=event, name="Anna", user=anna),
    )
    assert Registration.objects.filter(event=event).count() == 1
    assert sum(error is None for error in errors) == 1
    assert isinstance(next(e for e in errors if e), services.AlreadyRegistered)


def test_two_cancellations_at_once_give_each_place_to_a_different_person(slow_seat_count):
    event = EventFactory(capacity=2)
    holders = [
        services.registration_request(event=event, name="H", user=UserFactory()) for _ in range(2)
    ]
    waiting = [
        services.registration_request(event=event, name="W", user=UserFactory()) for _ in range(3)
    ]
    _, errors = at_once(
        *[
            (
                lambda registration=registration: services.registration_cancel(
                    registration=registration
                )
            )
            for registration in holders
        ]
    )
    assert errors == [None, None]
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert event.registrations.confirmed().count() == 2


def test_a_newcomer_does_not_jump_the_waiting_list_while_someone_cancels(slow_seat_count):
    event = EventFactory(capacity=1)
    holder = services.registration_request(event=event, name="H", user=UserFactory())
    first_in_line = services.registration_request(event=event, name="W", user=UserFactory())
    newcomer = UserFactory()
    results, errors = at_once(
        lambda: services.registration_cancel(registration=holder),
        lambda: services.registration_request(event=event, name="N", user=newcomer),
    )
    assert errors == [None, None]
    first_in_line.refresh_from_db()
    assert first_in_line.status == RegistrationStatus.CONFIRMED
    assert results[1].status == RegistrationStatus.WAITLISTED
    assert event.registrations.confirmed().count() == 1
