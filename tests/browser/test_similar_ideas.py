"""Similar ideas while writing, in a real browser: with JavaScript the list appears under the
form as the citizen types (announced, reachable by keyboard); without it, a step before
submitting shows it. Both axe clean, nothing typed is lost."""

import re

import pytest
from playwright.sync_api import expect

from ideas import similarity_search
from ideas.models import Idea, Status
from tests.factories import CallFactory, IdeaFactory, UserFactory

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

ORIGINAL = "Fahrradwege am Saaleufer bauen"


def setup_call(action_fields):
    call = CallFactory()
    IdeaFactory(
        call=call,
        title=ORIGINAL,
        summary="Am Ufer der Saale fehlt ein sicherer Weg fürs Fahrrad.",
        primary_field=action_fields["mobilitaet"],
        action_fields=[action_fields["mobilitaet"]],
    )
    similarity_search.idea_terms_missing()
    return call


def fill(page, action_fields):
    field = action_fields["mobilitaet"]
    page.fill("#id_summary", "Ein Radweg am Ufer der Saale.")
    page.fill("#id_description", "Von der Peißnitz bis zur Innenstadt.")
    page.fill("#id_benefit", "Sicher Rad fahren.")
    page.check(f"input[name=action_fields][value='{field.pk}']")
    page.check(f"input[name=primary_field][value='{field.pk}']")
    page.check("#id_whole_city")
    page.check("#id_consent")


def test_with_javascript_similar_ideas_appear_while_typing(page, live_server, action_fields):
    call = setup_call(action_fields)
    log_in(page, live_server, UserFactory())
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    box = page.locator("[data-similar-ideas]")
    expect(box).to_have_attribute("aria-live", "polite")
    page.fill("#id_title", "Neuer Radweg entlang der Saale")
    page.fill("#id_problem", "Radfahrer müssen auf der Straße fahren.")
    link = box.get_by_role("link", name=re.compile(ORIGINAL))
    expect(link).to_be_visible()
    expect(box).to_contain_text("Mobilität")
    # Keyboard: the list follows the fields of the idea in the tab order.
    page.focus("#id_target_groups")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    violations = serious(axe_violations(page))
    assert violations == [], describe(violations)

    # Submitting goes straight through: the list was already seen.
    fill(page, action_fields)
    page.click("button[name=intent][value=submit]")
    page.wait_for_url(re.compile(r"/ideen/\d+/eingereicht/$"))
    assert Idea.objects.get(title="Neuer Radweg entlang der Saale").status == Status.SUBMITTED


@pytest.fixture
def no_script_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_without_javascript_a_step_before_submitting_shows_them(
    no_script_page, live_server, action_fields
):
    page = no_script_page
    call = setup_call(action_fields)
    log_in(page, live_server, UserFactory())
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    page.fill("#id_title", "Neuer Radweg entlang der Saale")
    page.fill("#id_problem", "Radfahrer müssen auf der Straße fahren.")
    fill(page, action_fields)
    page.click("button[name=intent][value=submit]")

    page.wait_for_url(re.compile(r"/idee-einreichen/$"))
    expect(page.get_by_role("heading", name="Diese Ideen ähneln Ihrer")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(ORIGINAL))).to_be_visible()
    # Nothing typed is lost.
    expect(page.locator("#id_title")).to_have_value("Neuer Radweg entlang der Saale")
    expect(page.locator("#id_problem")).to_have_value("Radfahrer müssen auf der Straße fahren.")

    page.click("button[name=intent][value=submit]")
    page.wait_for_url(re.compile(r"/ideen/\d+/eingereicht/$"))
    assert Idea.objects.get(title="Neuer Radweg entlang der Saale").status == Status.SUBMITTED


def test_the_step_before_submitting_is_axe_clean(page, live_server, action_fields):
    """axe needs JavaScript: the step's page, reached as without it (the list not seen)."""
    call = setup_call(action_fields)
    log_in(page, live_server, UserFactory())
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    page.fill("#id_title", "Neuer Radweg entlang der Saale")
    fill(page, action_fields)
    page.locator("[name=similar_seen]").evaluate("input => { input.value = '0'; }")
    page.click("button[name=intent][value=submit]")
    expect(page.get_by_role("heading", name="Diese Ideen ähneln Ihrer")).to_be_visible()
    violations = serious(axe_violations(page))
    assert violations == [], describe(violations)
