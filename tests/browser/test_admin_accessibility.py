"""axe-core (WCAG 2.2 A/AA) over the admin screens editors and administrators work in: the
idea list with its filters, the idea's change form with its image rows, the intake form, a
bulk action's confirmation page, the measure form with its two-list pickers, forms with date
shortcuts and autocomplete boxes, editable lists. A screen fails on any violation with
impact "serious" or "critical"."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from ideas.images import image_process, thumbnails_make
from ideas.models import IdeaImage
from review import assessments
from tests.factories import CallFactory, IdeaFactory, UserFactory, ensure_role_groups

from .conftest import axe_violations, describe, jpeg_bytes, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

# An experimental rule of axe (off unless named): the visible text of a control must be part
# of its accessible name ("Heute" and aria-label "Today (...)" were not).
NAME_MISMATCH = """async () => (await axe.run(document,
    {runOnly: {type: 'rule', values: ['label-content-name-mismatch']}})).violations"""


@pytest.fixture
def office(action_fields):
    """A call with its catalogue and an idea with two images; an editor and an
    administrator."""
    ensure_role_groups()
    call = CallFactory()
    assessments.catalogue_create_default(call=call)
    idea = IdeaFactory(call=call, primary_field=action_fields["bildung"])
    for order in range(2):
        photo = image_process(SimpleUploadedFile("foto.jpg", jpeg_bytes((640, 480)), "image/jpeg"))
        image = IdeaImage(idea=idea, order=order, width=photo.width, height=photo.height)
        image.image.save(f"image.{photo.extension}", ContentFile(photo.content), save=False)
        thumbnail, _small = thumbnails_make(io.BytesIO(photo.content))
        image.thumbnail.save("thumb.webp", ContentFile(thumbnail), save=False)
        image.save()
    editor = UserFactory(is_staff=True, display_name="Redakteurin")
    editor.groups.add(Group.objects.get(name="Redaktion"))
    administrator = UserFactory(is_staff=True, is_superuser=True)
    administrator.groups.add(Group.objects.get(name="Administration"))
    return {"call": call, "idea": idea, "editor": editor, "administrator": administrator}


def problems_on(page, url) -> str:
    response = page.goto(url)
    assert response.status == 200, url
    found = serious(axe_violations(page)) + page.evaluate(NAME_MISMATCH)
    return describe(found)


def test_the_editors_admin_screens_have_no_serious_axe_violations(page, live_server, office):
    call, idea = office["call"], office["idea"]
    log_in(page, live_server, office["editor"])
    screens = [
        "/verwaltung/ideas/idea/",
        "/verwaltung/ideas/idea/?status__exact=submitted",
        f"/verwaltung/ideas/idea/{idea.pk}/change/",
        "/verwaltung/ideas/idea/add/",
        "/verwaltung/ideas/call/add/",
        f"/verwaltung/ideas/call/{call.pk}/change/",
        "/verwaltung/measures/measure/add/",
        f"/verwaltung/review/criteriacatalogue/{call.catalogues.get().pk}/change/",
        "/verwaltung/board/shortlist/add/",
        "/verwaltung/events/event/add/",
        "/verwaltung/events/milestone/add/",
    ]
    found = {url: problems for url in screens if (problems := problems_on(page, url))}
    assert found == {}, "\n".join(f"{url}:\n{problems}" for url, problems in found.items())


def test_a_bulk_actions_confirmation_page_has_no_serious_axe_violations(page, live_server, office):
    log_in(page, live_server, office["editor"])
    page.goto("/verwaltung/ideas/idea/")
    page.check(f"input[name=_selected_action][value='{office['idea'].pk}']")
    page.select_option("select[name=action]", "change_status")
    page.click("button[name=index]")
    expect(page.locator("select[name=status]")).to_be_visible()
    assert describe(serious(axe_violations(page))) == ""


def test_the_administrators_user_screens_have_no_serious_axe_violations(page, live_server, office):
    administrator = office["administrator"]
    log_in(page, live_server, administrator)
    screens = [
        "/verwaltung/accounts/user/",
        f"/verwaltung/accounts/user/{administrator.pk}/change/",
        "/verwaltung/fields/actionfield/",
    ]
    found = {url: problems for url in screens if (problems := problems_on(page, url))}
    assert found == {}, "\n".join(f"{url}:\n{problems}" for url, problems in found.items())


def test_image_rows_name_their_inputs_and_date_shortcuts_speak_german(page, live_server, office):
    log_in(page, live_server, office["editor"])
    page.goto(f"/verwaltung/ideas/idea/{office['idea'].pk}/change/")
    expect(page.get_by_role("textbox", name="Bildbeschreibung, Bild 2")).to_be_editable()
    expect(page.get_by_role("spinbutton", name="Reihenfolge, Bild 2")).to_have_value("1")
    page.goto("/verwaltung/events/event/add/")
    today = page.get_by_role("button", name="Heute", exact=False).first
    expect(today).to_have_text("Heute")
    # "Heute (3. Dezember 2026)", not "Today (Dezember 3, 2026)".
    expect(today).to_have_attribute(
        "aria-label", re.compile(r"^Heute \(\d{1,2}\. [A-ZÄÖÜ][a-zä]+ \d{4}\)$")
    )
