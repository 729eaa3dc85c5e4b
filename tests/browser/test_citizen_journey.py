"""A citizen's whole way through the site, in a real browser: sign up, confirm the email
address, submit an idea with a photo, get the reference number by mail, find the idea again
with the filters."""

import re

import pytest
from playwright.sync_api import expect

from ideas.models import Idea, Status
from tests.factories import CallFactory, IdeaFactory

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "neu.buergerin@example.org"
DISPLAY_NAME = "Stadtgärtnerin"
PASSWORD = "Lange-Passphrase-2026!"
TITLE = "Digitale Lernwerkstatt im Stadtteil"
REFERENCE = re.compile(r"\b[A-Z]{1,8}-\d{4}-\d{4}\b")
LINK = re.compile(r"https?://\S+/konto/confirm-email/\S+/")


def test_citizen_signs_up_submits_an_idea_and_finds_it(
    page, live_server, mailoutbox, action_fields, quarters, tmp_path
):
    call = CallFactory(title="Smart City Ideenaufruf")
    other = IdeaFactory(
        call=call,
        title="Bürgerbus mit Echtzeitdaten",
        primary_field=action_fields["mobilitaet"],
        action_fields=[action_fields["mobilitaet"]],
    )
    photo = tmp_path / "werkstatt.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))

    # Sign up.
    page.goto(f"{live_server.url}/konto/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.fill("#id_display_name", DISPLAY_NAME)
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/$"))

    # The confirmation mail; its link shows a page with a button (no confirmation on GET).
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    confirmation = mailoutbox[0]
    assert confirmation.to == [EMAIL]
    link = LINK.search(confirmation.body)
    assert link, confirmation.body
    page.goto(link.group(0))
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()
    # Confirming in the browser that signed up logs the person in.
    expect(page.locator("form[action='/konto/logout/']")).to_have_count(1)

    # The idea form of the open call, reached from the call's page.
    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    page.locator(f"a[href='/aufrufe/{call.slug}/idee-einreichen/']").first.click()
    page.wait_for_url(re.compile(r"/idee-einreichen/$"))
    bildung, verwaltung = action_fields["bildung"], action_fields["verwaltung"]
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Eine offene Werkstatt, in der Kinder programmieren lernen.")
    page.fill("#id_description", "Ausführlich: Räume, Laptops, Ehrenamtliche, Kurse.")
    page.fill("#id_problem", "Es fehlen Orte für digitales Lernen nach der Schule.")
    page.fill("#id_benefit", "Mehr Kinder lernen digitale Grundlagen.")
    page.fill("#id_target_groups", "Schülerinnen und Schüler")
    page.check(f"input[name=action_fields][value='{bildung.pk}']")
    page.check(f"input[name=action_fields][value='{verwaltung.pk}']")
    page.check(f"input[name=primary_field][value='{bildung.pk}']")
    page.check(f"input[name=quarters][value='{quarters[0].pk}']")
    page.set_input_files("#id_images", str(photo))
    page.check("#id_wants_workshop")
    page.check("#id_consent")
    page.click("button[name=intent][value=submit]")

    # The confirmation page shows the reference number.
    page.wait_for_url(re.compile(r"/ideen/\d+/eingereicht/$"))
    idea = Idea.objects.get(title=TITLE)
    assert idea.status == Status.SUBMITTED
    assert idea.author.email == EMAIL
    assert idea.author.display_name == DISPLAY_NAME
    assert idea.images.count() == 1
    assert set(idea.action_fields.values_list("slug", flat=True)) == {"bildung", "verwaltung"}
    assert list(idea.quarters.all()) == [quarters[0]]
    assert idea.wants_workshop
    reference = REFERENCE.search(page.locator("main").inner_text())
    assert reference, page.locator("main").inner_text()
    assert reference.group(0) == idea.reference

    # ... and so does the confirmation mail.
    mails = [mail for mail in mailoutbox[1:] if EMAIL in mail.to]
    assert len(mails) == 1, [m.subject for m in mailoutbox]
    assert idea.reference in mails[0].subject
    assert idea.reference in mails[0].body

    # The public detail page: the photo loads, the submitter's email address is not there.
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(DISPLAY_NAME)
    image = page.locator(".idea-images img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert EMAIL not in page.content()
    assert EMAIL.split("@")[0] not in page.content()
    # ... nor for anyone else.
    page.context.clear_cookies()
    page.reload()
    expect(page.locator("form[action='/konto/logout/']")).to_have_count(0)
    expect(page.locator("h1")).to_have_text(TITLE)
    assert EMAIL not in page.content()
    assert EMAIL.split("@")[0] not in page.content()

    # The list of ideas, filtered by the idea's primary action field with the filter form.
    page.goto(f"{live_server.url}/ideen/")
    expect(page.locator(".card-list")).to_contain_text(TITLE)
    expect(page.locator(".card-list")).to_contain_text(other.title)
    page.locator("summary", has_text="Filter").click()  # the filters wait behind a button
    page.select_option("#id_field", "bildung")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]field=bildung"))
    results = page.locator(".card-list")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results).not_to_contain_text(other.title)
    expect(page.locator(".card-list > li")).to_have_count(1)

    # The other field finds the other idea and not this one.
    page.select_option("#id_field", "mobilitaet")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]field=mobilitaet"))
    expect(results).to_contain_text(other.title)
    expect(results).not_to_contain_text(TITLE)
