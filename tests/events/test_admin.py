"""Staff manage events in the admin; every change goes through the services."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from events import notices as event_notices
from events import services
from events.models import Event, Registration, RegistrationStatus
from notices.models import Notice
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def event_form_data(event: Event, **changes) -> dict:
    local = timezone.localtime
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "format": event.format,
        "summary": event.summary,
        "description": event.description,
        "public": "on" if event.public else "",
        "starts_at_0": local(event.starts_at).strftime("%d.%m.%Y"),
        "starts_at_1": local(event.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(event.ends_at).strftime("%d.%m.%Y"),
        "ends_at_1": local(event.ends_at).strftime("%H:%M:%S"),
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "accessibility_notes": event.accessibility_notes,
        "online_url": event.online_url,
        "registration_enabled": "on",
        "capacity": event.capacity or "",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "call": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "" or key.endswith(("_0", "_1"))}


def test_saving_in_the_admin_raises_the_sequence_and_tells_participants(admin_client):
    event = services.event_save(event=EventFactory.build(capacity=3))
    holder = RegistrationFactory(event=event)
    # Both ends move by a day; the end may fall on the next calendar day late in the evening.
    new_start = timezone.localtime(event.starts_at + timedelta(days=1))
    new_end = timezone.localtime(event.ends_at + timedelta(days=1))
    response = admin_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form_data(
            event,
            starts_at_0=new_start.strftime("%d.%m.%Y"),
            ends_at_0=new_end.strftime("%d.%m.%Y"),
        ),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.sequence == 1
    assert Notice.objects.filter(email=holder.email, kind=event_notices.EVENT_CHANGED).exists()


def test_creating_in_the_admin_goes_through_the_service(admin_client):
    template = EventFactory.build(slug="neu-im-admin", title="Neu im Admin")
    response = admin_client.post(
        reverse("admin:events_event_add"), event_form_data(template), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="neu-im-admin")
    assert event.sequence == 0
    assert event.created_at is not None


def test_cancelling_in_the_admin_needs_a_reason_and_tells_everyone(admin_client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    url = reverse("admin:events_event_cancel", args=[event.pk])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert admin_client.post(url, {"reason": ""}).status_code == 200
    event.refresh_from_db()
    assert not event.is_cancelled
    response = admin_client.post(url, {"reason": "Der Saal ist gesperrt."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert Notice.objects.filter(email=holder.email, kind=event_notices.EVENT_CANCELLED).exists()


def test_change_page_shows_counts_and_links(admin_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, queued_at=timezone.now()
    )
    page = admin_client.get(
        reverse("admin:events_event_change", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert reverse("admin:events_event_participants", args=[event.pk]) in page
    assert reverse("admin:events_event_cancel", args=[event.pk]) in page
    assert "Warteliste: 1" in page
    changelist = admin_client.get(reverse("admin:events_event_changelist"))
    assert changelist.status_code == 200


def test_participant_list_for_the_door(admin_client):
    event = EventFactory(capacity=1, slug="werkstatt")
    RegistrationFactory(event=event, name="Erika Muster", email="erika@example.org")
    second = RegistrationFactory(
        event=event,
        name='=HYPERLINK("http://böse.example")',
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now(),
    )
    RegistrationFactory(event=event, name="Storniert", status=RegistrationStatus.CANCELLED)
    response = admin_client.get(
        reverse("admin:events_event_participants", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "teilnehmende-werkstatt-" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Nr.", "Name", "E-Mail-Adresse"]
    assert [row[1] for row in rows[1:]] == ["Erika Muster", "'" + second.name]
    assert rows[1][3] == "Bestätigt"
    assert rows[2][3] == "Warteliste 1"


@pytest.mark.parametrize("count", [20, 2000])
def test_participant_list_runs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, count
):
    event = EventFactory(capacity=None)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Person {n}",
            email=f"p{n}@example.org",
            token=f"t{n}",
            status=RegistrationStatus.CONFIRMED,
        )
        for n in range(count)
    )
    with django_assert_max_num_queries(6):
        response = admin_client.get(reverse("admin:events_event_participants", args=[event.pk]))
    assert len(read_csv(response)) == count + 1


@pytest.mark.parametrize("count", [20, 2000])
def test_registration_changelist_runs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, count
):
    event = EventFactory(capacity=None)
    Registration.objects.bulk_create(
        Registration(event=event, name=f"P {n}", email=f"p{n}@example.org", token=f"t{n}")
        for n in range(count)
    )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:events_registration_changelist"))
    assert response.status_code == 200


def test_staff_without_the_permission_see_no_registrations(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_event"))
    client.force_login(editor)
    assert client.get(reverse("admin:events_registration_changelist")).status_code == 403
    event = EventFactory()
    assert (
        client.get(reverse("admin:events_event_participants", args=[event.pk])).status_code == 403
    )


def test_attendance_recorded_in_the_list_and_by_action(admin_client):
    event = EventFactory(capacity=3)
    first = RegistrationFactory(event=event)
    second = RegistrationFactory(event=event)
    url = reverse("admin:events_registration_changelist")
    response = admin_client.post(
        url,
        {"action": "mark_attended", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.attended is True
    response = admin_client.post(
        url,
        {"action": "mark_absent", "_selected_action": [second.pk]},
    )
    second.refresh_from_db()
    assert second.attended is False


def test_cancelling_a_registration_in_the_admin_moves_the_waiting_list(admin_client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    waiting = services.registration_request(event=event, name="W", user=UserFactory())
    admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [holder.pk]},
    )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # Registrations are never deleted or added by hand.
    assert admin_client.get(reverse("admin:events_registration_add")).status_code == 403
