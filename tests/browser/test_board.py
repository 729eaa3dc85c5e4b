"""A board member reviews a frozen shortlist and recommends, in a real browser; the page
passes axe and shows no personal data."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from board.models import Recommendation, Shortlist, ShortlistItem, Vote
from ideas.models import Status
from tests.factories import IdeaFactory, UserFactory, ensure_role_groups

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_reviews_and_recommends(page, live_server, action_fields):
    ensure_role_groups()
    member = UserFactory(display_name="Beiratsmitglied")
    member.groups.add(Group.objects.get(name="Beirat"))
    author = UserFactory(email="privat-5521@example.org", display_name="Geheimer Name 5521")
    idea = IdeaFactory(
        author=author,
        status=Status.QUALIFIED,
        title="Digitale Stadtteilkarte",
        primary_field=action_fields["verwaltung"],
        action_fields=[action_fields["verwaltung"]],
    )
    now = timezone.now()
    shortlist = Shortlist.objects.create(
        call=idea.call,
        title="Auswahl Verwaltung",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )
    ShortlistItem.objects.create(shortlist=shortlist, idea=idea)

    log_in(page, live_server, member)
    page.goto(f"{live_server.url}/beirat/")
    page.click("text=Auswahl Verwaltung")
    page.click("text=Digitale Stadtteilkarte")
    main = page.locator("main")
    expect(main).to_contain_text("Digitale Stadtteilkarte")
    assert "privat-5521" not in page.content() and "5521" not in page.content()
    violations = serious(axe_violations(page))
    assert not violations, describe(violations)

    page.check(f"input[name=vote][value={Vote.RECOMMEND}]")
    page.fill("textarea[name=comment]", "Überzeugt uns")
    page.click("button[type=submit].kern-btn--primary")
    expect(page.locator(".messages")).to_be_visible()
    recommendation = Recommendation.objects.get(member=member)
    assert recommendation.vote == Vote.RECOMMEND and recommendation.comment == "Überzeugt uns"
