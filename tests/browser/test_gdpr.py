"""The account holder downloads their data and deletes their account, in Chromium, with axe
on every page of the way."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from ideas.models import Idea, Status
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Sehr-geheim-2026"


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


@pytest.fixture
def citizen(action_fields):
    user = UserFactory(display_name="Zq Löschkandidat")
    call = CallFactory()
    IdeaFactory(call=call, author=user, title="Idee in Bewertung", status=Status.IN_QUALIFICATION)
    DraftFactory(call=call, author=user, title="Unfertiger Entwurf")
    return user


def confirm_password(page):
    expect(page).to_have_url(re.compile(r"/konto/reauthenticate/"))
    assert_accessible(page)
    page.fill("input[name=password]", PASSWORD)


def test_download_of_all_data(page, live_server, citizen):
    log_in(page, live_server, citizen)
    page.goto("/konto/profil/")
    assert_accessible(page)
    page.get_by_role("link", name="Meine Daten herunterladen").click()
    confirm_password(page)
    with page.expect_download() as info:
        page.locator("main form button[type=submit]").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["display_name"] == "Zq Löschkandidat"
    assert {idea["title"] for idea in data["ideas"]} == {"Idee in Bewertung", "Unfertiger Entwurf"}


def test_deleting_the_account(page, live_server, citizen):
    log_in(page, live_server, citizen)
    page.goto("/konto/profil/")
    page.get_by_role("link", name="Mein Konto löschen").click()
    confirm_password(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Konto löschen")
    expect(page.locator("main")).to_contain_text("bewertet oder umgesetzt")
    expect(page.locator("main")).to_contain_text("Entwurf wird mit seinen Bildern gelöscht")
    assert_accessible(page)
    page.get_by_role("button", name="Mein Konto endgültig löschen").click()
    expect(page.locator(".messages")).to_contain_text("Ihr Konto wurde gelöscht.")
    assert_accessible(page)
    assert not User.objects.filter(pk=citizen.pk).exists()
    idea = Idea.objects.get(title="Idee in Bewertung")
    page.goto(idea.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Ehemaliges Mitglied")
    expect(page.locator("main")).not_to_contain_text("Zq Löschkandidat")
