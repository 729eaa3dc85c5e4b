"""Notices through the real stack: Redis as broker, Celery worker processes and an SMTP
server. These need the services; they fail, never skip, when one is missing."""

import time
from urllib.parse import urlparse

import pytest
from django.test import Client

from ideas import notices, services
from ideas.services import IdeaData
from notices.models import Notice, NoticeState
from notices.services import enqueue_sweep
from tests.factories import CallFactory, IdeaFactory, UserFactory
from tests.factories import action_field as field
from tests.processes import wait_for

# redis_url, private_redis, smtp_inbox and workers come from tests/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def complete_data() -> IdeaData:
    return IdeaData(
        title="Digitale Schulwege",
        summary="Kurz.",
        description="Lang.",
        problem="Problem.",
        benefit="Nutzen.",
        action_fields=[field("bildung")],
        primary_field=field("bildung"),
        whole_city=True,
        consent=True,
    )


def test_worker_drains_the_outbox_over_smtp_with_unsubscribe_headers(
    redis_url, workers, smtp_inbox
):
    group = workers(redis_url)
    worker = group.start()
    author = UserFactory(email="einreicherin@example.org", display_name="Saalenixe")
    idea = services.idea_save_draft(call=CallFactory(), author=author, data=complete_data())
    idea = services.idea_submit(idea=idea, by=author)  # writes the notice, queues the sweep

    wait_for(lambda: smtp_inbox.messages, timeout=30, message=group.logs)
    wait_for(group.drained, timeout=30, message=group.logs)  # a duplicate would be in by now
    assert worker.poll() is None
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "einreicherin@example.org"
    assert idea.reference in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<notice-")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert idea.reference in text and idea.reference in html
    assert "Saalenixe" in text
    # The unsubscribe link in the header works without a login, with one POST.
    link = message["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        urlparse(link).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Notice.objects.get().state == NoticeState.SENT


def test_worker_killed_mid_batch_sends_each_notice_exactly_once(redis_url, workers, smtp_inbox):
    # The worker is killed while a delivery is in progress (held in the RCPT stage): that
    # notice's transaction dies with it and the next sweep sends it; none is repeated. (A
    # kill in the instant between the server's final acceptance of a mail and the commit
    # that marks it sent would repeat that one mail: the outbox guarantees at-least-once,
    # with a window of that one round trip, and the repeat carries the same Message-ID.)
    smtp_inbox.delay = 0.1
    group = workers(redis_url)  # from here on, sweeps are queued on the broker
    call = CallFactory()
    ideas = [IdeaFactory(call=call) for _ in range(30)]
    for idea in ideas:
        notices.notice_submission_confirmation(idea=idea)
    assert Notice.objects.filter(state=NoticeState.PENDING).count() == 30
    first = group.start(concurrency=1)
    wait_for(
        lambda: len(smtp_inbox.messages) >= 5 and smtp_inbox.holding.is_set(),
        timeout=30,
        message=group.logs,
    )
    group.kill(first)
    assert len(smtp_inbox.messages) < 30, "the batch finished before the kill"

    group.start(concurrency=2)
    enqueue_sweep()  # what beat does every minute
    wait_for(
        lambda: not Notice.objects.filter(state=NoticeState.PENDING).exists(),
        timeout=60,
        message=group.logs,
    )
    wait_for(group.drained, timeout=30, message=group.logs)
    recipients = [message["To"] for message in smtp_inbox.messages]
    assert sorted(recipients) == sorted(idea.author.email for idea in ideas)
    assert Notice.objects.filter(state=NoticeState.SENT).count() == 30


def test_submission_succeeds_while_redis_is_down_and_mail_follows(
    private_redis, workers, smtp_inbox
):
    group = workers(private_redis.url)
    private_redis.stop()
    author = UserFactory(email="trotzdem@example.org")
    started = time.monotonic()
    idea = services.idea_submit(
        idea=services.idea_save_draft(call=CallFactory(), author=author, data=complete_data()),
        by=author,
    )
    assert time.monotonic() - started < 10, "the submission hung on the broker"
    assert idea.reference
    notice = Notice.objects.get(kind="submission_confirmation")
    assert notice.state == NoticeState.PENDING

    private_redis.start()
    group.start()
    enqueue_sweep()  # beat's next sweep
    wait_for(lambda: smtp_inbox.messages, timeout=30, message=group.logs)
    wait_for(group.drained, timeout=30, message=group.logs)
    assert [message["To"] for message in smtp_inbox.messages] == ["trotzdem@example.org"]
