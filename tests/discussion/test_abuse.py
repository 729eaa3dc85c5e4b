"""Spam and abuse without third parties: a honeypot, a time trap, rate limits per account
and per address, and refusing the same comment twice."""

import pytest
from django.urls import reverse

from discussion.forms import started_token
from discussion.models import Comment, Report, Support
from tests.factories import IdeaFactory, UserFactory

from .helpers import form_data

pytestmark = pytest.mark.django_db


def post_comment(client, idea, **fields):
    return client.post(reverse("discussion:comment", args=[idea.pk]), fields)


def test_a_filled_honeypot_is_refused_and_the_text_stays_on_screen(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    response = post_comment(client, idea, **form_data(text="Kaufen Sie jetzt!", website="x.com"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ihre Eingabe konnte nicht angenommen werden" in page
    assert "Kaufen Sie jetzt!" in page
    assert not Comment.objects.exists()


def test_a_form_sent_back_at_once_is_refused(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    response = post_comment(client, idea, text="Schnell", website="", started=started_token())
    assert response.status_code == 400
    assert "Das ging sehr schnell" in response.content.decode()
    response = post_comment(client, idea, text="Gefälscht", website="", started="123")
    assert "Das Formular ist abgelaufen" in response.content.decode()
    assert not Comment.objects.exists()
    # Sent again from the page it came back on (its moment kept), it passes in time.
    assert post_comment(client, idea, **form_data(text="Schnell")).status_code == 302


def test_comments_are_rate_limited_per_account(client, settings):
    settings.MITMACHEN_COMMENT_RATE = "2/h"
    idea = IdeaFactory()
    client.force_login(UserFactory())
    statuses = [
        post_comment(client, idea, **form_data(text=f"Kommentar {n}")).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_the_limit_holds_for_many_accounts_from_one_address(client, settings):
    settings.MITMACHEN_SUPPORT_RATE = "3/h"
    ideas = [IdeaFactory() for _ in range(4)]
    statuses = []
    for idea in ideas:
        client.force_login(UserFactory())
        statuses.append(client.post(reverse("discussion:support", args=[idea.pk])).status_code)
    assert statuses == [302, 302, 302, 429]
    assert Support.objects.count() == 3


def test_reports_are_rate_limited(client, settings):
    settings.MITMACHEN_REPORT_RATE = "1/h"
    client.force_login(UserFactory())
    first, second = IdeaFactory(), IdeaFactory()
    client.post(reverse("discussion:idea-report", args=[first.pk]), form_data(reason="Spam"))
    response = client.post(
        reverse("discussion:idea-report", args=[second.pk]), form_data(reason="Spam")
    )
    assert response.status_code == 429
    assert Report.objects.count() == 1
