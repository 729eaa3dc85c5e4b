"""A phone (375 px wide): content before navigation, the navigation behind a menu button
that works without JavaScript too, and the controls that tripped people up on small screens."""

import pytest
from playwright.sync_api import expect

from tests.factories import CallFactory, IdeaFactory, UserFactory

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
NAV_STYLE = """(element) => {
    const style = getComputedStyle(element);
    return ["font-family", "font-size", "font-weight", "color", "text-decoration-line",
            "padding-top", "line-height"].map((name) => style.getPropertyValue(name));
}"""


@pytest.fixture
def ideas(action_fields):
    call = CallFactory(title="Smart City Ideenaufruf 2026")
    return [
        IdeaFactory(call=call, title=f"Idee {number}", primary_field=action_fields["bildung"])
        for number in range(3)
    ]


def first_heading_top(page) -> float:
    return page.evaluate("document.querySelector('main h1, main h2').getBoundingClientRect().top")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_main_content_starts_on_the_first_screen(page, live_server, ideas, signed_in):
    if signed_in:
        log_in(page, live_server, UserFactory())
    page.set_viewport_size(PHONE)
    for url in ("/", "/ideen/", ideas[0].get_absolute_url(), "/statistik/"):
        page.goto(url)
        assert first_heading_top(page) < PHONE["height"] / 2, url
        expect(page.get_by_role("link", name="Alle Ideen", exact=True)).to_be_hidden()


def test_the_menu_button_opens_and_closes_the_navigation(page, live_server, ideas):
    page.set_viewport_size(PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Menü")
    all_ideas = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Alle Ideen"
    )
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(all_ideas).to_be_visible()
    assert describe(serious(axe_violations(page))) == ""
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(all_ideas).to_be_hidden()
    menu.click()
    all_ideas.click()
    expect(page).to_have_url(f"{live_server.url}/ideen/")


def test_wide_screens_show_the_links_without_a_menu_button(page, live_server, ideas):
    page.goto("/")
    expect(page.get_by_role("button", name="Menü")).to_be_hidden()
    expect(page.get_by_role("link", name="Alle Ideen", exact=True)).to_be_visible()


def test_without_javascript_the_navigation_is_shown(browser, live_server, ideas):
    context = browser.new_context(
        java_script_enabled=False,
        viewport=PHONE,
        locale="de-DE",
        extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"},
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Menü")).to_be_hidden()
    expect(page.get_by_role("link", name="Alle Ideen", exact=True)).to_be_visible()
    context.close()


def test_sign_out_looks_like_the_other_navigation_items(page, live_server, ideas):
    log_in(page, live_server, UserFactory())
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("button", name="Menü").click()
    sign_out = page.get_by_role("button", name="Abmelden")
    my_ideas = page.get_by_role("link", name="Meine Ideen")
    assert sign_out.evaluate(NAV_STYLE) == my_ideas.evaluate(NAV_STYLE)
    sign_out_box, my_ideas_box = sign_out.bounding_box(), my_ideas.bounding_box()
    assert sign_out_box["x"] == my_ideas_box["x"]
    assert sign_out_box["height"] >= 44


SWITCH_STYLE = """(nav) => {
    const list = nav.querySelector("ul");
    const [first, second] = nav.querySelectorAll("a");
    const look = (element, names) => names.map((name) => getComputedStyle(element)[name]);
    return {
        list: look(list, ["display", "listStyleType", "borderTopStyle", "borderTopColor"]),
        current: look(nav.querySelector("[aria-current=page]"), ["backgroundColor", "color"]),
        other: look(nav.querySelector("a:not([aria-current])"), ["backgroundColor", "color"]),
        side_by_side: first.getBoundingClientRect().top === second.getBoundingClientRect().top,
    };
}"""


def test_list_and_map_offer_the_same_switch(page, live_server, ideas):
    page.set_viewport_size(PHONE)
    looks = {}
    for url, current in (("/ideen/", "Liste"), ("/ideen/karte/", "Karte")):
        page.goto(url)
        switch = page.get_by_role("navigation", name="Ideen anzeigen als")
        expect(switch.get_by_role("link", name=current)).to_have_attribute("aria-current", "page")
        looks[url] = switch.evaluate(SWITCH_STYLE)
    assert looks["/ideen/"] == looks["/ideen/karte/"]
    assert looks["/ideen/"]["list"][:2] == ["inline-flex", "none"]  # no bullets, side by side
    assert looks["/ideen/"]["side_by_side"] is True
    assert looks["/ideen/"]["current"] != looks["/ideen/"]["other"]


def test_typing_narrows_the_quarters_of_the_idea_form(page, live_server, ideas):
    from tests.factories import DistrictFactory, QuarterFactory

    nord, sued = DistrictFactory(name="Nord", order=2), DistrictFactory(name="Süd", order=4)
    for name in ("Paulusviertel", "Giebichenstein", "Trotha"):
        QuarterFactory(district=nord, name=name)
    for name in ("Südstadt", "Damaschkestraße", "Böllberg"):
        QuarterFactory(district=sued, name=name)
    citizen = UserFactory()
    log_in(page, live_server, citizen)
    page.set_viewport_size(PHONE)
    page.goto(f"/aufrufe/{ideas[0].call.slug}/idee-einreichen/")
    quarters = page.get_by_role("group", name="Stadtteile")
    boxes = quarters.get_by_role("checkbox")
    expect(boxes).to_have_count(6)
    quarters.get_by_role("checkbox", name="Trotha").check()

    search = page.get_by_role("searchbox", name="Stadtteil nach Namen finden")
    search.fill("boll")  # without the accent
    expect(quarters.locator("[data-quarter-choice]:visible")).to_have_count(1)
    expect(quarters.get_by_role("checkbox", name="Böllberg")).to_be_visible()
    expect(quarters.get_by_role("group", name="Nord")).to_be_hidden()
    expect(quarters.get_by_role("status")).to_have_text("1 Stadtteil passt.")
    search.fill("nord")  # a district's name shows its quarters
    expect(quarters.locator("[data-quarter-choice]:visible")).to_have_count(3)
    expect(quarters.get_by_role("status")).to_have_text("3 Stadtteile passen.")
    search.fill("")
    expect(quarters.locator("[data-quarter-choice]:visible")).to_have_count(6)
    # Hidden boxes kept their state.
    expect(quarters.get_by_role("checkbox", name="Trotha")).to_be_checked()
    assert describe(serious(axe_violations(page))) == ""


def test_the_assessors_table_scrolls_in_a_region_with_a_hint(page, live_server, ideas):
    from django.contrib.auth.models import Group

    from review import assessments
    from tests.factories import ensure_role_groups

    ensure_role_groups()
    assessments.catalogue_create_default(call=ideas[0].call)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    assessor = UserFactory()
    assessor.groups.add(Group.objects.get(name="Bewertung"))
    for idea in ideas:
        # German compounds do not wrap: the table becomes wider than the phone.
        idea.title = f"{idea.title}: Schulwegsicherheitssensorennetzwerk"
        idea.save()
    assessments.assessors_assign(ideas=ideas, assessors=[assessor], by=editor)
    log_in(page, live_server, assessor)
    page.set_viewport_size(PHONE)
    page.goto("/bewertung/")

    table = page.get_by_role("region", name="Meine Bewertungen")
    assert table.evaluate("(region) => region.scrollWidth > region.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    hint = page.get_by_text("Die Tabelle ist breiter als der Bildschirm")
    expect(hint).to_be_visible()
    expect(table).to_have_attribute("aria-describedby", hint.get_attribute("id"))
    # Keyboard: Tab reaches the region (the closed menu's links are skipped), arrows scroll.
    for _press in range(8):
        page.keyboard.press("Tab")
        if table.evaluate("(region) => region === document.activeElement"):
            break
    expect(table).to_be_focused()
    state = page.get_by_role("columnheader", name="Stand")
    expect(state).not_to_be_in_viewport()
    for _press in range(20):
        page.keyboard.press("ArrowRight")
    expect(state).to_be_in_viewport()
    assert describe(serious(axe_violations(page))) == ""

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(hint).to_be_hidden()


@pytest.mark.parametrize("url", ["/", "/ideen/", "/ideen/karte/", "/meine-ideen/"])
def test_the_changed_pages_have_no_serious_axe_violations_on_a_phone(
    page, live_server, ideas, url
):
    log_in(page, live_server, UserFactory())
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert describe(serious(axe_violations(page))) == ""
