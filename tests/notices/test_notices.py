from datetime import UTC, datetime, timedelta
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from ideas import notices as idea_notices
from ideas import services
from ideas.notices import reminder_due
from notices import outbox, registry
from notices import services as notices_services
from notices.models import Notice, NoticeOptOut, NoticeState, Subscription
from notices.outbox import retry_delay
from notices.tokens import unsubscribe_token
from review import notices as review_notices
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory

BERLIN_WINTER_DEADLINE = datetime(2023, 1, 8, 22, 59, tzinfo=UTC)  # 08.01.2023 23:59 CET


# --- Scheduling arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (BERLIN_WINTER_DEADLINE - timedelta(days=8), None),
        (BERLIN_WINTER_DEADLINE - timedelta(days=7), 7),
        (BERLIN_WINTER_DEADLINE - timedelta(days=3), 7),
        (BERLIN_WINTER_DEADLINE - timedelta(days=1), 1),
        (BERLIN_WINTER_DEADLINE - timedelta(minutes=1), 1),
        (BERLIN_WINTER_DEADLINE, None),
        (BERLIN_WINTER_DEADLINE + timedelta(days=1), None),
    ],
)
def test_reminder_windows(now, expected):
    assert reminder_due(now=now, deadline=BERLIN_WINTER_DEADLINE, offsets_days=[7, 1]) == expected


def test_reminder_days_follow_the_berlin_calendar_across_daylight_saving():
    # 30.03.2025 23:59 CEST; clocks went forward on 30.03 at 02:00.
    deadline = datetime(2025, 3, 30, 21, 59, tzinfo=UTC)
    seven_days_before = datetime(2025, 3, 23, 22, 59, tzinfo=UTC)  # 23.03 23:59 CET
    assert (
        reminder_due(
            now=seven_days_before - timedelta(minutes=1), deadline=deadline, offsets_days=[7, 1]
        )
        is None
    )
    assert reminder_due(now=seven_days_before, deadline=deadline, offsets_days=[7, 1]) == 7
    # And back in autumn: 26.10.2025 23:59 CET, clocks went back that morning.
    autumn = datetime(2025, 10, 26, 22, 59, tzinfo=UTC)
    one_day_before = datetime(2025, 10, 25, 21, 59, tzinfo=UTC)  # 25.10 23:59 CEST
    assert reminder_due(now=one_day_before, deadline=autumn, offsets_days=[7, 1]) == 1
    assert (
        reminder_due(
            now=one_day_before - timedelta(minutes=1), deadline=autumn, offsets_days=[7, 1]
        )
        == 7
    )


def test_retry_backoff_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 8, 60]


# --- The outbox ---------------------------------------------------------------------------

pytestmark = pytest.mark.django_db(transaction=False)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_submission_confirmation_goes_through_the_outbox(django_capture_on_commit_callbacks):
    draft = DraftFactory()
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_submit(idea=draft, by=draft.author)
    notice = Notice.objects.get(kind="submission_confirmation")
    assert notice.state == NoticeState.SENT
    assert notice.subject == idea
    message = sent_to(draft.author.email)[0]
    assert idea.reference in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/abmelden/" in message.extra_headers["List-Unsubscribe"]


def test_extension_tells_subscribers_draft_holders_and_authors_once(
    django_capture_on_commit_callbacks,
):
    call = CallFactory()
    draft = DraftFactory(call=call)
    submitted = IdeaFactory(call=call)
    second_of_same_author = IdeaFactory(call=call, author=submitted.author)
    IdeaFactory()  # another call's author hears nothing
    subscriber = Subscription.objects.create(
        subject=call, email="abo@example.org", confirmed_at=timezone.now()
    )
    Subscription.objects.create(subject=call, email="unbestaetigt@example.org")
    new_deadline = call.deadline + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        services.call_extend(call=call, new_deadline=new_deadline, reason="Ferien")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([draft.author.email, submitted.author.email, subscriber.email])
    assert second_of_same_author.author == submitted.author
    body = sent_to(subscriber.email)[0].body
    assert timezone.localtime(new_deadline).strftime("%d.%m.%Y") in body
    assert "Ferien" in body


def test_reminders_are_replanned_when_the_deadline_moves(django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=5), deadline=now + timedelta(days=5))
    draft = DraftFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        assert idea_notices.deadline_reminders_plan(now=now) == 1  # the 7-day reminder, due
        assert idea_notices.deadline_reminders_plan(now=now) == 0  # planning again: nothing
    assert len(sent_to(draft.author.email)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.call_extend(call=call, new_deadline=now + timedelta(days=20), reason="Mehr Zeit")
    call.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Before the new 7-day window nothing is due; the old reminder is not repeated.
        assert idea_notices.deadline_reminders_plan(now=now + timedelta(days=1)) == 0
        assert idea_notices.deadline_reminders_plan(now=now + timedelta(days=13, hours=1)) == 1
    reminder = sent_to(draft.author.email)[0]
    assert timezone.localtime(call.deadline).strftime("%d.%m.%Y") in reminder.body


def test_reminders_skip_submitted_ideas_and_reach_subscribers(django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(hours=20), deadline=now + timedelta(hours=20))
    submitted = IdeaFactory(call=call)
    Subscription.objects.create(subject=call, email="abo@example.org", confirmed_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        idea_notices.deadline_reminders_plan(now=now)
    assert [message.to[0] for message in mail.outbox] == ["abo@example.org"]
    assert not sent_to(submitted.author.email)


def test_a_closed_call_is_recorded_and_its_authors_thanked_once(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    call = CallFactory(
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(hours=1),
        deadline=now - timedelta(hours=1),
    )
    idea = IdeaFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.calls_close(now=now) == 1
        assert services.calls_close(now=now + timedelta(minutes=5)) == 0
    assert len(sent_to(idea.author.email)) == 1
    entry = AuditEntry.objects.about(call).get(action="ideas.call.closed")
    assert (entry.actor, entry.data["ideas"]) == (None, 1)


def test_daily_digest_to_editors(django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Redaktion"))
    IdeaFactory(title="Frisch eingereicht")
    with django_capture_on_commit_callbacks(execute=True):
        review_notices.digest_plan()
        review_notices.digest_plan()
    digest = sent_to(editor.email)
    assert len(digest) == 1
    assert "Frisch eingereicht" in digest[0].body


def test_status_change_notice(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        review_notices.notice_idea_status_changed(
            idea=idea, old_status="submitted", new_status="screened"
        )
    assert idea.reference in sent_to(idea.author.email)[0].subject


def test_opted_out_kinds_are_not_written():
    idea = IdeaFactory()
    NoticeOptOut.objects.create(email=idea.author.email, kind="status_changed")
    assert (
        review_notices.notice_idea_status_changed(
            idea=idea, old_status="submitted", new_status="screened"
        )
        == 0
    )


class RefusingBackend:
    """A mail backend whose server refuses every delivery."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SMTPRecipientsRefused({"x@example.org": (550, b"no")})


def test_refused_delivery_retries_with_backoff_then_fails_then_resends(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.test_notices.RefusingBackend"}}
    settings.MITMACHEN_NOTICE_MAX_ATTEMPTS = 3
    idea = IdeaFactory()
    idea_notices.notice_submission_confirmation(idea=idea)
    notice = Notice.objects.get()
    now = timezone.now()
    assert not outbox.notice_send(notice_id=notice.pk, now=now)
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (NoticeState.PENDING, 1)
    assert "SMTPRecipientsRefused" in notice.last_error
    # Not due again before the backoff has passed.
    assert outbox.notices_send_pending(now=now + timedelta(seconds=30)) == 0
    notice.refresh_from_db()
    assert notice.attempts == 1
    outbox.notices_send_pending(now=now + timedelta(minutes=1, seconds=1))
    outbox.notices_send_pending(now=now + timedelta(minutes=4))
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (NoticeState.FAILED, 3)

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    notices_services.notices_resend(notices=[notice])
    assert outbox.notices_send_pending() == 1
    notice.refresh_from_db()
    assert notice.state == NoticeState.SENT
    assert len(mail.outbox) == 1


def test_broker_down_does_not_fail_the_change(monkeypatch, django_capture_on_commit_callbacks):
    from notices import tasks

    def broken(*args, **kwargs):
        raise SMTPServerDisconnected("broker unreachable")  # any error of the broker

    monkeypatch.setattr(tasks.notices_sweep, "delay", broken)
    draft = DraftFactory()
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_submit(idea=draft, by=draft.author)
    assert idea.reference
    assert Notice.objects.get().state == NoticeState.PENDING  # the sweep sends it later
    monkeypatch.undo()
    assert outbox.notices_send_pending() == 1


def test_run_scheduled_command_plans_and_sends(capsys):
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(hours=3), deadline=now + timedelta(hours=3))
    draft = DraftFactory(call=call)
    call_command("run_scheduled")
    assert sent_to(draft.author.email)
    assert "notices-sweep" in capsys.readouterr().out


# --- Subscriptions and unsubscribing ------------------------------------------------------


def test_subscription_needs_double_opt_in(client, django_capture_on_commit_callbacks):
    call = CallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ideas:call-subscribe", args=[call.slug]),
            {"email": "Neu@Example.org"},
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "neu@example.org"
    assert not subscription.is_active
    confirm_url = reverse("notices:subscription-confirm", args=[subscription.token])
    assert confirm_url in mail.outbox[0].body
    assert client.get(confirm_url).status_code == 200  # a page with a button, not the action
    subscription.refresh_from_db()
    assert not subscription.is_active
    client.post(confirm_url)
    subscription.refresh_from_db()
    assert subscription.is_active


def test_subscribing_again_sends_at_most_one_mail_a_day(
    client, django_capture_on_commit_callbacks
):
    call = CallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(
                reverse("ideas:call-subscribe", args=[call.slug]), {"email": "neu@example.org"}
            )
    assert len(mail.outbox) == 1


def test_bad_subscription_input(client):
    call = CallFactory()
    response = client.post(
        reverse("ideas:call-subscribe", args=[call.slug]),
        {"email": "<script>@x"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not Subscription.objects.exists()
    unknown = reverse("notices:subscription-confirm", args=["erfunden"])
    assert client.get(unknown).status_code == 404


def _unsubscribe_url(notice):
    return reverse("notices:unsubscribe", args=[unsubscribe_token(notice)])


def test_one_click_unsubscribe_without_login_or_csrf(django_capture_on_commit_callbacks):
    from django.test import Client

    call = CallFactory()
    subscription = Subscription.objects.create(
        subject=call, email="abo@example.org", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.call_extend(call=call, new_deadline=call.deadline + timedelta(days=3), reason="x")
    notice = Notice.objects.get(email="abo@example.org")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_unsubscribe_url(notice), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    # Using the link again is harmless.
    assert strict.post(_unsubscribe_url(notice)).status_code == 200


def test_unsubscribe_from_an_account_notice_opts_out_of_that_kind(client):
    idea = IdeaFactory()
    review_notices.notice_idea_status_changed(
        idea=idea, old_status="submitted", new_status="screened"
    )
    notice = Notice.objects.get()
    page = client.get(_unsubscribe_url(notice), HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert not NoticeOptOut.objects.exists()  # showing the page changes nothing
    client.post(_unsubscribe_url(notice))
    assert NoticeOptOut.objects.filter(email=idea.author.email, kind="status_changed").exists()
    notice.refresh_from_db()
    assert notice.state == NoticeState.CANCELLED


def test_tampered_unsubscribe_link_is_refused(client):
    token = signing.dumps(["opfer@example.org", "digest", None], salt="other")
    for url in (
        reverse("notices:unsubscribe", args=[token]),
        reverse("notices:unsubscribe", args=["kaputt"]),
    ):
        response = client.post(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 400
        assert "nicht gültig" in response.content.decode()
    assert not NoticeOptOut.objects.exists()


def test_account_holder_chooses_notices(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("notices:settings")
    assert client.get(url).status_code == 200
    client.post(url, {"kinds": ["call_extended", "deadline_reminder"]})
    muted = set(NoticeOptOut.objects.filter(email=user.email).values_list("kind", flat=True))
    assert "status_changed" in muted
    assert "call_extended" not in muted
    client.post(url, {"kinds": [kind.code for kind in registry.optional_kinds()]})
    assert not NoticeOptOut.objects.filter(email=user.email).exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_mails_use_the_recipients_language(django_capture_on_commit_callbacks):
    english = UserFactory(language="en")
    german = UserFactory(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        for author in (english, german):
            services.idea_submit(idea=DraftFactory(author=author), by=author)
    assert "has been submitted" in sent_to(english.email)[0].subject
    assert "eingereicht" in sent_to(german.email)[0].subject


def test_editors_see_the_notice_log_and_resend(client):
    from django.contrib.auth.models import Group

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    idea = IdeaFactory()
    idea_notices.notice_submission_confirmation(idea=idea)
    notice = Notice.objects.get()
    Notice.objects.filter(pk=notice.pk).update(state=NoticeState.FAILED, attempts=5)
    client.force_login(editor)
    assert client.get(reverse("admin:notices_notice_changelist")).status_code == 200
    client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "resend", "_selected_action": [notice.pk]},
    )
    notice.refresh_from_db()
    assert notice.state in (NoticeState.PENDING, NoticeState.SENT)


def test_feedback_notice(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        review_notices.notice_feedback_published(idea=idea, at=timezone.now())
    message = sent_to(idea.author.email)[0]
    assert idea.reference in message.subject
    assert idea.get_absolute_url() in message.body
