"""axe-core (WCAG 2.2 A/AA rules) on every page a citizen sees, plus a phone-sized viewport
and keyboard checks. A page fails on any violation with impact "serious" or "critical"."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from ideas.images import image_process, thumbnails_make
from ideas.models import IdeaImage
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory

from .conftest import axe_violations, describe, jpeg_bytes, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(action_fields, quarters):
    """A published call with ideas in several fields, one with a photo, and a citizen with a
    draft and a submitted idea."""
    call = CallFactory(title="Smart City Ideenaufruf 2026", slug="smart-city-2026")
    citizen = UserFactory(display_name="Anna Beispiel")
    ideas = []
    for number, slug in enumerate(
        ["bildung", "wirtschaft", "mobilitaet", "verwaltung", "bildung"]
    ):
        idea = IdeaFactory(
            call=call,
            title=f"Idee {number + 1}: {action_fields[slug].name} digital",
            summary="Eine kurze Zusammenfassung der Idee für die Übersicht.",
            primary_field=action_fields[slug],
            action_fields=[action_fields[slug]],
            whole_city=number % 2 == 0,
        )
        if number % 2:
            idea.quarters.set([quarters[number % 2]])
        ideas.append(idea)
    own = IdeaFactory(call=call, author=citizen, title="Meine eingereichte Idee")
    DraftFactory(call=call, author=citizen, title="Mein Entwurf")
    photo = image_process(SimpleUploadedFile("foto.jpg", jpeg_bytes((800, 600)), "image/jpeg"))
    image = IdeaImage(idea=ideas[0], order=0, width=photo.width, height=photo.height)
    image.image.save(f"image.{photo.extension}", ContentFile(photo.content), save=False)
    thumbnail, _small = thumbnails_make(io.BytesIO(photo.content))
    image.thumbnail.save("thumb.webp", ContentFile(thumbnail), save=False)
    image.save()
    # A second image whose thumbnails are still being made: the page shows a placeholder.
    waiting = IdeaImage(idea=ideas[0], order=1, width=photo.width, height=photo.height)
    waiting.image.save(f"image.{photo.extension}", ContentFile(photo.content), save=False)
    waiting.save()
    return {"call": call, "citizen": citizen, "ideas": ideas, "own": own}


PUBLIC_PAGES = {
    "home": lambda site: "/",
    "idea-list": lambda site: "/ideen/",
    "idea-list-filtered": lambda site: (
        f"/ideen/?field=bildung&call={site['call'].slug}&sort=title"
    ),
    "idea-list-empty": lambda site: "/ideen/?q=gibt-es-nicht",
    "idea-detail": lambda site: site["ideas"][0].get_absolute_url(),
    "call": lambda site: site["call"].get_absolute_url(),
    "login": lambda site: "/konto/login/",
    "signup": lambda site: "/konto/signup/",
    "password-reset": lambda site: "/konto/password/reset/",
    "privacy": lambda site: "/datenschutz/",
    "imprint": lambda site: "/impressum/",
    "accessibility": lambda site: "/barrierefreiheit/",
    "open-data": lambda site: "/offene-daten/",
    "not-found": lambda site: "/ideen/999999/",
    "not-found-path": lambda site: "/gibt-es-nicht/",
}
CITIZEN_PAGES = {
    "idea-form": lambda site: f"/aufrufe/{site['call'].slug}/idee-einreichen/",
    "my-ideas": lambda site: "/meine-ideen/",
    "email": lambda site: "/konto/email/",
    "profile": lambda site: "/konto/profil/",
}


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_axe_violations(page, live_server, site, name):
    response = page.goto(PUBLIC_PAGES[name](site))
    assert response.status == (404 if name.startswith("not-found") else 200)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_count(1)
    if name == "idea-detail":
        image = page.locator(".idea-images img").first
        image.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
    if name == "idea-list-filtered":
        # Two Bildung ideas of the list and the citizen's own one (Bildung by default).
        expect(page.locator(".card-list > li")).to_have_count(3)
    assert_accessible(page)


@pytest.mark.parametrize("name", CITIZEN_PAGES)
def test_citizen_page_has_no_serious_axe_violations(page, live_server, site, name):
    log_in(page, live_server, site["citizen"])
    response = page.goto(CITIZEN_PAGES[name](site))
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    if name == "my-ideas":
        expect(page.locator("main table")).to_contain_text("Mein Entwurf")
    assert_accessible(page)


def test_idea_form_with_errors_has_no_serious_axe_violations(page, live_server, site):
    log_in(page, live_server, site["citizen"])
    page.goto(CITIZEN_PAGES["idea-form"](site))
    page.fill("#id_summary", "Nur eine Zusammenfassung, der Titel fehlt.")
    page.click("button[name=intent][value=submit]")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # Every entry of the summary links to a field that exists on the page.
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        expect(page.locator(href)).to_have_count(1)
    title = page.locator("#id_title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile(r"\bid_title_error\b"))
    expect(page.locator("#id_title_error")).to_be_visible()
    assert_accessible(page)


def test_idea_form_after_failed_submission_of_a_draft(page, live_server, site, action_fields):
    """A saved draft that is still incomplete: the warning message and the error summary."""
    log_in(page, live_server, site["citizen"])
    page.goto(CITIZEN_PAGES["idea-form"](site))
    page.fill("#id_title", "Halbfertige Idee")
    page.check(f"input[name=action_fields][value='{action_fields['wirtschaft'].pk}']")
    page.click("button[name=intent][value=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator(".messages [role=alert]")).to_have_count(1)
    assert_accessible(page)


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("name", ["home", "idea-list", "idea-detail", "call", "signup"])
def test_phone_viewport_has_no_horizontal_scrolling(page, live_server, site, name):
    page.set_viewport_size(PHONE)
    page.goto(PUBLIC_PAGES[name](site))
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{page.url} is {scroll_width}px wide on a 390px screen"


@pytest.mark.parametrize("name", ["idea-form", "my-ideas"])
def test_phone_viewport_has_no_horizontal_scrolling_when_signed_in(page, live_server, site, name):
    """My ideas is a wide table: it scrolls in its own box, the page does not."""
    log_in(page, live_server, site["citizen"])
    page.set_viewport_size(PHONE)
    page.goto(CITIZEN_PAGES[name](site))
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{page.url} is {scroll_width}px wide on a 390px screen"


def test_no_page_scrolls_sideways_at_320px(page, live_server, site):
    """WCAG 1.4.10 (Reflow): content fits 320 CSS pixels without horizontal scrolling."""
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for pages in (PUBLIC_PAGES, CITIZEN_PAGES):
        if pages is CITIZEN_PAGES:
            log_in(page, live_server, site["citizen"])
        for name, path in pages.items():
            page.goto(path(site))
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                too_wide[name] = widths
    assert not too_wide, f"pages wider than the screen (scrollWidth, clientWidth): {too_wide}"


def test_first_tab_focuses_the_visible_skip_link(page, live_server, site):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_axe_reports_a_planted_violation(page, live_server, site):
    """The check above is only worth something if axe runs on the styled page: plant an image
    without a text alternative and grey-on-white text and expect both to be reported."""
    page.goto("/")
    expect(page.locator("link[href$='site.css']")).to_have_count(1)
    assert page.evaluate("[...document.styleSheets].every(sheet => sheet.cssRules.length > 0)"), (
        "a stylesheet did not load"
    )
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="/static/missing.png" width="10" height="10">'
        + '<p style="color:#bbb;background:#fff">Kaum lesbar</p>')"""
    )
    found = {violation["id"] for violation in serious(axe_violations(page))}
    assert {"image-alt", "color-contrast"} <= found, found


def test_failed_submit_moves_focus_to_the_error_summary(page, live_server, site):
    log_in(page, live_server, site["citizen"])
    page.goto(CITIZEN_PAGES["idea-form"](site))
    page.click("button[name=intent][value=submit]")
    expect(page.locator("#error-summary")).to_be_focused()


def test_staff_front_end_pages_have_no_serious_axe_violations(page, live_server, site):
    """The pages of assessors, editors and the public measure pages."""
    from django.contrib.auth.models import Group

    from ideas.models import Status
    from measures.models import Measure
    from review import assessments
    from tests.factories import UserFactory, ensure_role_groups

    ensure_role_groups()
    call = site["call"]
    assessments.catalogue_create_default(call=call)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    assessor = UserFactory()
    assessor.groups.add(Group.objects.get(name="Bewertung"))
    idea = site["ideas"][0]
    assessments.assessors_assign(ideas=[idea], assessors=[assessor], by=editor)
    Measure.objects.create(
        call=call,
        title="Digitale Lernorte",
        slug="lernorte",
        description="Eine Maßnahme.",
        published=True,
    )
    idea.status = Status.QUALIFIED
    idea.save()

    for url in ("/massnahmen/", "/massnahmen/lernorte/"):
        assert page.goto(url).status == 200
        assert_accessible(page)
    log_in(page, live_server, assessor)
    for url in ("/bewertung/", f"/bewertung/{idea.assignments.get().pk}/"):
        assert page.goto(url).status == 200
        assert_accessible(page)
    page.context.clear_cookies()
    log_in(page, live_server, editor)
    assert page.goto(f"/redaktion/rangliste/{call.slug}/").status == 200
    assert_accessible(page)
