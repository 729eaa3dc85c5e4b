"""The public discussion in a real browser: a citizen supports an idea by keyboard, comments,
another replies and reports the comment, an editor hides it in the admin with a reason, and
the comment's author gets the notice. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from notices.outbox import notices_send_pending
from tests.factories import CallFactory, IdeaFactory, UserFactory, user_with_role

from .conftest import axe_violations, describe, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def no_serious_violations(page) -> None:
    found = [v for v in axe_violations(page) if v.get("impact") in {"serious", "critical"}]
    assert describe(found) == "", page.url


def switch_to(page, live_server, user) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user)


def test_support_comment_reply_report_hide_and_the_author_is_told(
    page, live_server, mailoutbox, settings, action_fields
):
    settings.MITMACHEN_FORM_MIN_SECONDS = 0
    idea = IdeaFactory(call=CallFactory(), title="Sitzbänke mit Solarladestation")
    anna = UserFactory(display_name="Anna A.")
    bernd = UserFactory(display_name="Bernd B.")
    editor = user_with_role("Redaktion")

    # Anna supports the idea with the keyboard; the new count is announced.
    switch_to(page, live_server, anna)
    page.goto(idea.get_absolute_url())
    no_serious_violations(page)
    support = page.get_by_role("button", name="Diese Idee unterstützen")
    page.evaluate("window.notReloaded = true")
    support.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Idee hat jetzt 1 Unterstützung.")).to_be_visible()
    # The script replaced the box: no reload, focus on the new button.
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_role("button", name="Meine Unterstützung zurückziehen")).to_be_focused()
    expect(page.locator("#support-count")).to_have_text("1 Person unterstützt diese Idee.")
    no_serious_violations(page)

    # She comments.
    page.get_by_label("Ihr Kommentar").fill("Super Idee!\nAber bitte mit Schatten.")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_text("Ihr Kommentar wurde veröffentlicht.")).to_be_visible()
    expect(page.locator(".discussion-comment__text").first).to_contain_text("Aber bitte")
    no_serious_violations(page)

    # Bernd replies and reports her comment.
    switch_to(page, live_server, bernd)
    page.goto(idea.get_absolute_url())
    page.locator("summary", has_text="Antworten").first.click()
    page.get_by_label("Ihre Antwort").fill("Schatten wäre gut.")
    no_serious_violations(page)
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.locator(".discussion-comment--reply")).to_contain_text("Schatten wäre gut.")
    page.get_by_role("link", name=re.compile("Melden diesen Kommentar")).first.click()
    no_serious_violations(page)
    page.get_by_label("Warum sollte die Redaktion sich das ansehen?").fill("Werbung")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_text("Die Redaktion sieht sich Ihre Meldung an.")).to_be_visible()

    # The editor finds it in the moderation queue and hides it with a reason.
    switch_to(page, live_server, editor)
    page.goto("/verwaltung/discussion/comment/?state=reported")
    no_serious_violations(page)
    page.get_by_role("link", name=re.compile("Super Idee")).click()
    no_serious_violations(page)
    page.select_option("#id_decision", "hide")
    page.fill("#id_reason", "Bitte ohne Werbung (Netiquette).")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # The public sees "ausgeblendet"; Anna gets the reason by mail.
    page.context.clear_cookies()
    page.goto(idea.get_absolute_url())
    expect(page.get_by_text("von der Redaktion ausgeblendet")).to_be_visible()
    expect(page.get_by_text("Aber bitte mit Schatten")).to_have_count(0)
    no_serious_violations(page)
    notices_send_pending()
    told = [message for message in mailoutbox if message.to == [anna.email]]
    assert len(told) == 1
    assert "Bitte ohne Werbung (Netiquette)." in told[0].body


def test_the_moderation_screens_have_no_serious_axe_violations(page, live_server):
    from discussion import comments, moderation

    idea = IdeaFactory()
    comment = comments.comment_create(idea=idea, by=UserFactory(), text="Gemeldet")
    moderation.report_create(by=UserFactory(), reason="Spam", comment=comment)
    log_in(page, live_server, user_with_role("Redaktion"))
    for url in [
        "/verwaltung/discussion/report/",
        "/verwaltung/discussion/calldiscussion/add/",
        "/verwaltung/discussion/block/add/",
        "/verwaltung/discussion/comment/?state=pending",
        f"/ideen/{idea.pk}/melden/",
        f"/kommentare/{comment.pk}/melden/",
        "/netiquette/",
    ]:
        page.goto(url)
        no_serious_violations(page)
