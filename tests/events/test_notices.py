"""The mails about events, through the outbox of the notices app: what they say, what they
carry (the calendar file, the online link, the cancel link), in whose language, and the
reminders the day before that beat plans."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from events import notices as event_notices
from events import services, tasks
from events.models import RegistrationStatus
from events.notices import reminder_due, reminder_window_start
from notices.models import Notice, NoticeOptOut, NoticeState
from tests.factories import UserFactory

from .factories import SECRET_LINK, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def calendar_of(message) -> icalendar.Calendar:
    [attachment] = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(content)


# --- The day-before rule ------------------------------------------------------------------


def test_reminder_window_opens_at_ten_the_day_before_in_berlin():
    start = datetime(2023, 1, 26, 10, 0, tzinfo=BERLIN)
    assert reminder_window_start(start) == datetime(2023, 1, 25, 10, 0, tzinfo=BERLIN)
    assert not reminder_due(now=datetime(2023, 1, 25, 9, 59, tzinfo=BERLIN), starts_at=start)
    assert reminder_due(now=datetime(2023, 1, 25, 10, 0, tzinfo=BERLIN), starts_at=start)
    assert not reminder_due(now=start, starts_at=start)


def test_reminder_window_follows_the_berlin_calendar_across_daylight_saving():
    # Clocks go forward in the night to Sunday 26.03.2023: the window still opens at 10:00.
    start = datetime(2023, 3, 26, 9, 0, tzinfo=BERLIN)
    window = reminder_window_start(start)
    assert window == datetime(2023, 3, 25, 9, 0, tzinfo=UTC)  # 10:00 CET
    # One hour of the night is missing.
    assert start.astimezone(UTC) - window == timedelta(hours=22)
    # And back in autumn (Sunday 29.10.2023): 10:00 CEST the day before.
    autumn = datetime(2023, 10, 29, 9, 0, tzinfo=BERLIN)
    assert reminder_window_start(autumn) == datetime(2023, 10, 28, 8, 0, tzinfo=UTC)


# --- The mails ----------------------------------------------------------------------------


def test_confirmed_place_mail_has_calendar_file_online_link_and_cancel_link(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=5)
    user = UserFactory(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_request(event=event, name="Anna Muster", user=user)
    [message] = sent_to(user.email)
    assert event.title in message.subject
    assert "Anna Muster" in message.body
    assert SECRET_LINK in message.body
    assert registration.get_absolute_url() in message.body
    assert registration.get_absolute_url() in html_of(message)
    assert SECRET_LINK in html_of(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [component] = calendar_of(message).events
    assert str(component["UID"]) == str(event.uid)
    assert SECRET_LINK in str(component["DESCRIPTION"])
    notice = Notice.objects.get(email=user.email)
    assert notice.state == NoticeState.SENT


def test_waiting_list_mail_has_no_online_link_and_no_calendar_file(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_request(event=event, name="Bernd", user=user)
    assert registration.status == RegistrationStatus.WAITLISTED
    [message] = sent_to(user.email)
    assert SECRET_LINK not in message.body
    assert SECRET_LINK not in html_of(message)
    assert message.attachments == []
    assert registration.get_absolute_url() in message.body


def test_double_opt_in_mail_links_to_the_confirmation_page_only(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_request(
            event=event, name="Gast", email="gast@example.org"
        )
    [message] = sent_to("gast@example.org")
    assert registration.get_absolute_url() in message.body
    assert SECRET_LINK not in message.body
    assert message.attachments == []
    assert "Gast" in message.body


def test_mail_is_in_the_recipients_language(django_capture_on_commit_callbacks):
    event = EventFactory(title="Werkstatt", capacity=5)
    german, english = UserFactory(language="de"), UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_request(event=event, name="De", user=german)
        services.registration_request(event=event, name="En", user=english)
    assert sent_to(german.email)[0].subject == "Ihr Platz bei „Werkstatt“ ist bestätigt"
    assert sent_to(english.email)[0].subject == "Your place at “Werkstatt” is confirmed"


def test_moving_up_tells_the_first_in_line_with_calendar_file(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.registration_request(event=event, name="Wartende", user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)
    [message] = sent_to(user.email)
    assert Notice.objects.get(email=user.email, kind=event_notices.EVENT_MOVED_UP).subject == event
    assert SECRET_LINK in message.body
    assert waiting.get_absolute_url() in message.body
    assert calendar_of(message).events
    assert not sent_to(holder.email)


def test_change_of_time_tells_participants_with_the_new_time_and_file(
    django_capture_on_commit_callbacks,
):
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    event = services.event_save(
        event=EventFactory.build(starts_at=start, ends_at=start + timedelta(hours=2))
    )
    holder = RegistrationFactory(event=event)
    event.starts_at = start + timedelta(days=1)
    event.ends_at = start + timedelta(days=1, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(event=event)
    [message] = sent_to(holder.email)
    assert timezone.localtime(event.starts_at).strftime("%d.%m.%Y") in message.body
    assert timezone.localtime(start).strftime("%d.%m.%Y") in message.body  # the old start
    [component] = calendar_of(message).events
    assert int(component["SEQUENCE"]) == 1
    assert component["DTSTART"].dt == event.starts_at


def test_cancellation_mail_marks_the_event_cancelled_in_the_calendar(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, reason="Der Saal ist überflutet.")
    [message] = sent_to(holder.email)
    assert "Der Saal ist überflutet." in message.body
    assert SECRET_LINK not in message.body
    [component] = calendar_of(message).events
    assert str(component["STATUS"]) == "CANCELLED"


# --- Reminders ----------------------------------------------------------------------------


def test_reminders_go_to_participants_the_day_before_once(django_capture_on_commit_callbacks):
    start = datetime(2030, 3, 26, 18, 0, tzinfo=BERLIN)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2), capacity=3)
    early = RegistrationFactory(event=event, seated_at=start - timedelta(days=5))
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED, seated_at=None)
    late = RegistrationFactory(event=event, seated_at=start - timedelta(hours=2))
    window = reminder_window_start(start)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_notices.event_reminders_plan(now=window - timedelta(minutes=1)) == 0
        assert event_notices.event_reminders_plan(now=window) == 1
        assert event_notices.event_reminders_plan(now=window + timedelta(hours=3)) == 0
    assert [message.to[0] for message in mail.outbox] == [early.email]
    message = mail.outbox[0]
    assert SECRET_LINK in message.body
    assert calendar_of(message).events
    assert not sent_to(late.email)


def test_a_moved_event_gets_a_reminder_for_its_new_date():
    start = datetime(2030, 6, 4, 18, 0, tzinfo=BERLIN)
    event = services.event_save(
        event=EventFactory.build(starts_at=start, ends_at=start + timedelta(hours=2))
    )
    RegistrationFactory(event=event, seated_at=start - timedelta(days=10))
    assert event_notices.event_reminders_plan(now=reminder_window_start(start)) == 1
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    services.event_save(event=event, now=start - timedelta(days=2))
    assert event_notices.event_reminders_plan(now=reminder_window_start(start)) == 0
    assert event_notices.event_reminders_plan(now=reminder_window_start(event.starts_at)) == 1
    assert Notice.objects.filter(kind=event_notices.EVENT_REMINDER).count() == 2


def test_cancelled_events_get_no_reminders_and_pending_ones_are_withdrawn():
    start = datetime(2030, 6, 4, 18, 0, tzinfo=BERLIN)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    RegistrationFactory(event=event, seated_at=start - timedelta(days=10))
    assert event_notices.event_reminders_plan(now=reminder_window_start(start)) == 1
    services.event_cancel(event=event, reason="Ausfall", now=reminder_window_start(start))
    reminder = Notice.objects.get(kind=event_notices.EVENT_REMINDER)
    assert reminder.state == NoticeState.CANCELLED
    assert event_notices.event_reminders_plan(now=reminder_window_start(start)) == 0


def test_reminders_can_be_switched_off_like_other_optional_notices():
    start = datetime(2030, 6, 4, 18, 0, tzinfo=BERLIN)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    registration = RegistrationFactory(event=event, seated_at=start - timedelta(days=10))
    NoticeOptOut.objects.create(email=registration.email, kind=event_notices.EVENT_REMINDER)
    assert event_notices.event_reminders_plan(now=reminder_window_start(start)) == 0


def test_beat_plans_the_reminders_with_a_thin_task():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(entry["task"] == "events.tasks.event_reminders_plan" for entry in schedule.values())
    assert tasks.event_reminders_plan.delay().get() == 0
