"""The invitation flow in a real browser: the editor filters the ideas' list, selects,
invites to a design sprint; the author accepts through the personal link without signing in;
the registration appears among the event's registrations. axe on the invitation's pages."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import EventKind
from ideas.models import Status
from measures.models import Invitation
from tests.events.factories import EventFactory
from tests.factories import IdeaFactory, UserFactory, ensure_role_groups

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


def test_editor_invites_from_a_filtered_list_and_the_author_accepts_by_link(
    page, live_server, action_fields, browser
):
    ensure_role_groups()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    sprint = EventFactory(title="Design-Sprint IV", kind=EventKind.DESIGN_SPRINT, capacity=10)
    willing = IdeaFactory(status=Status.QUALIFIED, wants_workshop=True, title="Sensorlaternen")
    IdeaFactory(status=Status.QUALIFIED, wants_workshop=False, title="Ohne Werkstatt")
    IdeaFactory(status=Status.SUBMITTED, wants_workshop=True, title="Noch nicht bewertet")

    log_in(page, live_server, editor)
    page.goto("/verwaltung/ideas/idea/?status__exact=qualified")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.check("#action-toggle")
    page.select_option("select[name=action]", "invite_to_workshop")
    page.click("button[name=index]")
    assert_accessible(page)
    page.select_option("select[name=event]", str(sprint.pk))
    page.click("input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("1 per E-Mail eingeladen")
    expect(page.locator(".messagelist")).to_contain_text("1 wollten nicht")

    invitation = Invitation.objects.get()
    assert invitation.idea == willing
    # The author, in a browser of their own and not signed in, opens the link from the mail.
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    author = context.new_page()
    author.goto(f"/einladungen/{invitation.token}/")
    expect(author.locator("h1")).to_contain_text("Design-Sprint IV")
    assert_accessible(author)
    author.get_by_role("button", name="Ja, ich komme").click()
    expect(author.locator(".messages")).to_contain_text("Sie sind angemeldet")
    assert_accessible(author)
    author.goto(f"/einladungen/{invitation.token}/")
    expect(author.locator("main")).to_contain_text("bereits beantwortet")
    assert_accessible(author)
    context.close()

    page.goto(f"/verwaltung/events/registration/?event__id__exact={sprint.pk}")
    expect(page.locator("#result_list")).to_contain_text(willing.author.email)
    page.goto(f"/verwaltung/measures/invitation/?event__id__exact={sprint.pk}")
    expect(page.locator("#result_list")).to_contain_text("Zugesagt")
    assert_accessible(page)
