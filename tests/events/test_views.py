"""The public pages: lists, detail, registering and cancelling, the links in the mails, the
timeline; who sees what (online link, internal events, personal data); query counts."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, EventFormat, EventKind, Registration, RegistrationStatus
from tests.factories import UserFactory
from tests.factories import action_field as field

from .factories import (
    SECRET_LINK,
    EventFactory,
    MilestoneFactory,
    PublicationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events",
            codename__in=["change_event", "view_event", "view_registration"],
        )
    )
    return user


def page_text(response) -> str:
    return response.content.decode()


def bulk_events(count: int, *, past: bool = False) -> list[Event]:
    """Many events with action fields and registrations, in a few queries."""
    now = timezone.now()
    sign = -1 if past else 1
    events = Event.objects.bulk_create(
        Event(
            title=f"Veranstaltung {n:05d}",
            slug=f"veranstaltung-{n:05d}-{'p' if past else 'u'}",
            kind=EventKind.values[n % len(EventKind.values)],
            format=EventFormat.values[n % 3],
            starts_at=now + sign * timedelta(days=2 + n % 300, minutes=n),
            ends_at=now + sign * timedelta(days=2 + n % 300, minutes=n) + timedelta(hours=2),
            capacity=5,
        )
        for n in range(count)
    )
    bildung = field("bildung")
    Event.action_fields.through.objects.bulk_create(
        Event.action_fields.through(event=event, actionfield=bildung) for event in events
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Person {index}",
            email=f"p{index}-{event.pk}@example.org",
            status=RegistrationStatus.CONFIRMED,
            token=f"t-{event.pk}-{index}",
        )
        for event in events[:200]
        for index in range(3)
    )
    return events


# --- Lists --------------------------------------------------------------------------------


def test_upcoming_and_past_lists_split_by_time(client):
    upcoming = EventFactory(title="Bald")
    now = timezone.now()
    past = EventFactory(
        title="Vorbei",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3, hours=-2),
    )
    response = client.get(reverse("events:event-list"))
    assert list(response.context["events"]) == [upcoming]
    response = client.get(reverse("events:event-list-past"))
    assert list(response.context["events"]) == [past]


def test_internal_events_are_for_staff_only(client, staff):
    internal = EventFactory(title="Interne Abstimmung", public=False)
    assert "Interne Abstimmung" not in page_text(client.get(reverse("events:event-list")))
    assert client.get(internal.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event-ics", args=[internal.slug])).status_code == 404
    client.force_login(staff)
    assert "Interne Abstimmung" in page_text(client.get(reverse("events:event-list")))
    assert client.get(internal.get_absolute_url()).status_code == 200


def test_filters_by_kind_format_and_field(client):
    workshop = EventFactory(kind=EventKind.CREATIVE_WORKSHOP, format=EventFormat.IN_PERSON)
    workshop.action_fields.set([field("bildung")])
    online = EventFactory(kind=EventKind.INFO_SESSION, format=EventFormat.ONLINE)
    online.action_fields.set([field("mobilitaet")])
    url = reverse("events:event-list")
    assert list(client.get(url, {"kind": "creative_workshop"}).context["events"]) == [workshop]
    assert list(client.get(url, {"format": "online"}).context["events"]) == [online]
    assert list(client.get(url, {"field": "mobilitaet"}).context["events"]) == [online]
    response = client.get(url, {"kind": "gibt-es-nicht", "format": "online"})
    assert list(response.context["events"]) == [online]
    assert "nicht erkannt" in page_text(response)


@pytest.mark.parametrize("count", [20, 2000])
def test_event_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_events(count)
    # count, page (with seat counts), action fields, the filter's fields, session/user
    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:event-list"), {"page": 2, "field": "bildung"})
    assert response.status_code == 200
    assert len(response.context["events"]) == 20


@pytest.mark.parametrize("count", [20, 2000])
def test_past_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_events(count, past=True)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:event-list-past"))
    assert response.status_code == 200
    assert len(response.context["events"]) == 20


@pytest.mark.parametrize("count", [20, 2000])
def test_feed_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_events(count)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("events:event-feed"))
    assert response.content.count(b"BEGIN:VEVENT") == count


@pytest.mark.parametrize("count", [20, 2000])
def test_detail_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count, staff
):
    event = bulk_events(count)[0]
    Registration.objects.bulk_create(
        Registration(event=event, name="X", email=f"x{n}@example.org", token=f"x{n}")
        for n in range(count)
    )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(event.get_absolute_url()).status_code == 200


# --- Who sees what ------------------------------------------------------------------------


def test_online_link_only_for_confirmed_participants_and_staff(client, staff):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, queued_at=timezone.now()
    )
    pending = Registration.objects.create(
        event=event, name="Offen", email="offen@example.org", status=RegistrationStatus.PENDING
    )
    stranger = UserFactory()

    assert SECRET_LINK not in page_text(client.get(event.get_absolute_url()))
    for user in (stranger, waiting.user):
        client.force_login(user)
        assert SECRET_LINK not in page_text(client.get(event.get_absolute_url()))
    client.logout()
    assert SECRET_LINK not in page_text(client.get(pending.get_absolute_url()))
    assert SECRET_LINK not in page_text(client.get(waiting.get_absolute_url()))

    assert SECRET_LINK in page_text(client.get(confirmed.get_absolute_url()))
    client.force_login(confirmed.user)
    assert SECRET_LINK in page_text(client.get(event.get_absolute_url()))
    client.force_login(staff)
    assert SECRET_LINK in page_text(client.get(event.get_absolute_url()))


def test_online_link_is_gone_once_the_event_is_cancelled(client):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    services.event_cancel(event=event, reason="Ausfall")
    client.force_login(confirmed.user)
    assert SECRET_LINK not in page_text(client.get(event.get_absolute_url()))


def test_participants_personal_data_is_never_on_public_pages(client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event, name="Erika Geheim", email="erika@example.org")
    RegistrationFactory(
        event=event,
        name="Max Warteliste",
        email="max@example.org",
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now(),
    )
    pages = [
        event.get_absolute_url(),
        reverse("events:event-list"),
        reverse("events:event-ics", args=[event.slug]),
        reverse("events:event-feed"),
    ]
    other = UserFactory()
    for viewer in (None, other):
        if viewer:
            client.force_login(viewer)
        for url in pages:
            text = page_text(client.get(url))
            for secret in ("Erika Geheim", "erika@example.org", "Max Warteliste", "max@"):
                assert secret not in text, (url, secret)
    assert holder.token not in page_text(client.get(event.get_absolute_url()))


def test_participant_list_needs_the_staff_permission(client, staff):
    event = EventFactory()
    RegistrationFactory(event=event, name="Erika Geheim")
    url = reverse("admin:events_event_participants", args=[event.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # not staff: to the admin login
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_event"))
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "Erika Geheim" in b"".join(response.streaming_content).decode("utf-8-sig")


# --- Registering --------------------------------------------------------------------------


def test_anonymous_registration_gives_the_same_answer_for_a_known_address(client):
    event = EventFactory()
    url = reverse("events:event-register", args=[event.slug])
    data = {"name": "Gast Person", "email": "gast@example.org"}
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    message = [str(m) for m in first.context["messages"]]
    assert message == [str(m) for m in second.context["messages"]]
    assert "Bitte sehen Sie in Ihr Postfach" in message[0]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.name == "Gast Person"


def test_account_holder_registers_and_sees_the_place(client, citizen):
    event = EventFactory(capacity=1)
    client.force_login(citizen)
    response = client.post(
        reverse("events:event-register", args=[event.slug]), {"name": "Anna"}, follow=True
    )
    assert "Ihr Platz ist bestätigt" in page_text(response)
    assert "Sie haben einen Platz bei dieser Veranstaltung." in page_text(response)
    again = client.post(
        reverse("events:event-register", args=[event.slug]), {"name": "Anna"}, follow=True
    )
    assert "bereits angemeldet" in page_text(again)
    assert Registration.objects.count() == 1


def test_full_event_offers_the_waiting_list_and_says_the_position(client, citizen):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(citizen)
    page = page_text(client.get(event.get_absolute_url()))
    assert "Auf die Warteliste setzen" in page
    response = client.post(
        reverse("events:event-register", args=[event.slug]), {"name": "Anna"}, follow=True
    )
    assert "auf Platz 1 der Warteliste" in page_text(response)


def test_registering_after_the_deadline_is_refused_with_a_message(client, citizen):
    now = timezone.now()
    event = EventFactory(registration_deadline=now - timedelta(hours=1))
    client.force_login(citizen)
    response = client.post(
        reverse("events:event-register", args=[event.slug]), {"name": "Anna"}, follow=True
    )
    assert "Der Anmeldeschluss für diese Veranstaltung ist vorbei." in page_text(response)
    assert not Registration.objects.exists()
    assert "Anmelden</span>" not in page_text(client.get(event.get_absolute_url()))


def test_registering_for_a_cancelled_event_is_refused(client):
    event = EventFactory()
    services.event_cancel(event=event, reason="Ausfall")
    response = client.post(
        reverse("events:event-register", args=[event.slug]),
        {"name": "Gast", "email": "gast@example.org"},
        follow=True,
    )
    assert "Diese Veranstaltung wurde abgesagt." in page_text(response)
    assert not Registration.objects.exists()


def test_invalid_registration_form_keeps_the_input(client):
    event = EventFactory()
    response = client.post(
        reverse("events:event-register", args=[event.slug]),
        {"name": "Gast Person", "email": "kein-mail"},
    )
    assert response.status_code == 400
    assert "Gast Person" in page_text(response)
    assert "error-summary" in page_text(response)


def test_registration_is_rate_limited(client):
    event = EventFactory(capacity=None)
    url = reverse("events:event-register", args=[event.slug])
    for number in range(20):
        client.post(url, {"name": "Gast", "email": f"g{number}@example.org"})
    response = client.post(url, {"name": "Gast", "email": "zu-viel@example.org"})
    assert response.status_code == 429
    assert not Registration.objects.filter(email="zu-viel@example.org").exists()


def test_get_never_changes_a_registration(client):
    registration = Registration.objects.create(
        event=EventFactory(), name="Gast", email="g@example.org"
    )
    for name in ("registration-confirm", "registration-cancel"):
        response = client.get(reverse(f"events:{name}", args=[registration.token]))
        assert response.status_code == 405
    assert client.get(registration.get_absolute_url()).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_confirming_through_the_link(client):
    event = EventFactory(capacity=3)
    registration = services.registration_request(event=event, name="Gast", email="g@example.org")
    response = client.post(
        reverse("events:registration-confirm", args=[registration.token]), follow=True
    )
    assert "Ihr Platz ist bestätigt" in page_text(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    "name", ["registration-manage", "registration-confirm", "registration-cancel"]
)
def test_a_tampered_link_gets_a_clear_answer(client, name):
    registration = RegistrationFactory()
    token = registration.token[:-2] + ("AA" if not registration.token.endswith("AA") else "BB")
    method = client.get if name == "registration-manage" else client.post
    response = method(reverse(f"events:{name}", args=[token]))
    assert response.status_code == 404
    assert "Dieser Link führt zu keiner Anmeldung" in page_text(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_through_the_link_moves_the_waiting_list_up(client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    waiting = services.registration_request(event=event, name="W", user=UserFactory())
    response = client.post(reverse("events:registration-cancel", args=[holder.token]), follow=True)
    assert "Ihre Anmeldung wurde storniert." in page_text(response)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_account_holder_cancels_on_the_event_page(client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    client.force_login(holder.user)
    response = client.post(reverse("events:event-unregister", args=[event.slug]), follow=True)
    assert "Ihre Anmeldung wurde storniert." in page_text(response)
    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED


# --- Timeline and press -------------------------------------------------------------------


def test_timeline_shows_the_milestones_with_their_state(client):
    today = timezone.localdate()
    event = EventFactory(title="Forum")
    MilestoneFactory(
        title="Start der Strategiephase", starts_on=date(2022, 5, 1), precision="month"
    )
    MilestoneFactory(
        title="Umsetzung", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    MilestoneFactory(title="Forum", starts_on=today + timedelta(days=60), event=event)
    MilestoneFactory(title="Geheim", public=False)
    response = client.get(reverse("events:timeline"))
    states = [(step.milestone.title, step.state) for step in response.context["steps"]]
    assert states == [
        ("Start der Strategiephase", "done"),
        ("Umsetzung", "now"),
        ("Forum", "next"),
    ]
    text = page_text(response)
    assert 'datetime="2022-05"' in text
    assert 'aria-current="step"' in text
    assert event.get_absolute_url() in text


@pytest.mark.parametrize("count", [20, 2000])
def test_timeline_and_press_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    events = bulk_events(20)
    MilestoneFactory.create_batch(count, event=events[0])
    PublicationFactory.create_batch(
        count
    ) if count == 20 else PublicationFactory._meta.model.objects.bulk_create(
        PublicationFactory.build(title=f"Bericht {n}") for n in range(count)
    )
    with django_assert_max_num_queries(4):
        assert client.get(reverse("events:timeline")).status_code == 200
    with django_assert_max_num_queries(3):
        response = client.get(reverse("events:publication-list"), {"page": 2})
    assert response.status_code == 200


def test_press_list_links_out_and_paginates(client):
    PublicationFactory.create_batch(25)
    response = client.get(reverse("events:publication-list"))
    assert len(response.context["publications"]) == 20
    assert 'rel="noopener noreferrer"' in page_text(response)


def test_navigation_leads_to_the_events(client):
    text = page_text(client.get(reverse("ideas:home")))
    assert reverse("events:event-list") in text
