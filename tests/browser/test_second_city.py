"""A second city by data alone: Lindenfurt (a fictitious city) boots from its folder on an
empty database, and a citizen and an assessor find its own fields, quarters, catalogue, name
and logo on every page."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from fields.models import ActionField, Quarter
from ideas.models import Call, Idea, Status
from review import assessments
from tests.factories import UserFactory, ensure_role_groups

from .conftest import axe_violations, describe, log_in

pytestmark = pytest.mark.django_db(transaction=True)

LINDENFURT = Path(django_settings.BASE_DIR) / "cities" / "lindenfurt"
SITE_NAME = "Lindenfurt Ideas Lab"
FIELDS = ["Klima und Umwelt", "Gesundheit", "Kultur", "Wohnen", "Energie"]
QUARTERS = ["Marktviertel", "Mühlengrund", "Lindenhöhe", "Furtwiesen", "Birkenhain"]


def assert_lindenfurt(page):
    """The city's name and logo on the page, its accent colour, and no axe violation."""
    expect(page.locator(".site-brand__name")).to_have_text(SITE_NAME)
    logo = page.locator("img.site-brand__logo")
    expect(logo).to_have_attribute("src", "/stadt/logo")
    expect(logo).to_have_attribute("alt", "Wappen von Lindenfurt")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=logo.element_handle()
    )
    assert "--city-accent: #2d6a1f" in page.locator("html").get_attribute("style")
    assert "Halle" not in page.content()
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"


def test_lindenfurt_from_its_folder_through_the_citizen_and_assessor_journey(
    page, live_server, settings
):
    # An empty database, then one command and one setting.
    ActionField.objects.all().delete()
    assert not Call.objects.exists() and not Quarter.objects.exists()
    settings.CITY_DIR = LINDENFURT
    call_command("load_city", str(LINDENFURT), stdout=StringIO())
    call = Call.objects.get(slug="ideen-fuer-lindenfurt")

    page.goto(f"{live_server.url}/")
    assert_lindenfurt(page)
    expect(page).to_have_title(re.compile(SITE_NAME))
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", "/stadt/favicon")

    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    assert_lindenfurt(page)
    expect(page.locator("h1")).to_have_text("Ideen für Lindenfurt")

    # A citizen submits an idea in one of the five fields and one of the city's quarters.
    citizen = UserFactory(display_name="Lindenfurterin")
    log_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/aufrufe/{call.slug}/idee-einreichen/")
    assert_lindenfurt(page)
    labels = page.locator("input[name=action_fields]").evaluate_all(
        "inputs => inputs.map(i => i.labels[0].innerText.trim())"
    )
    assert labels == FIELDS
    quarters = page.locator("input[name=quarters]").evaluate_all(
        "inputs => inputs.map(i => i.labels[0].innerText.trim())"
    )
    assert all(any(name in label for label in quarters) for name in QUARTERS), quarters
    klima = ActionField.objects.get(slug="klima")
    markt = Quarter.objects.get(code="L01")
    page.fill("#id_title", "Schattenbäume am Marktplatz")
    page.fill("#id_summary", "Mehr Bäume, die im Sommer Schatten spenden.")
    page.fill("#id_description", "Sensoren messen, wo es am heißesten ist.")
    page.fill("#id_problem", "Der Marktplatz heizt sich im Sommer stark auf.")
    page.fill("#id_benefit", "Ein kühlerer Platz für alle.")
    page.fill("#id_target_groups", "Alle")
    page.check(f"input[name=action_fields][value='{klima.pk}']")
    page.check(f"input[name=primary_field][value='{klima.pk}']")
    page.check(f"input[name=quarters][value='{markt.pk}']")
    page.check("#id_consent")
    page.click("button[name=intent][value=submit]")
    page.wait_for_url(re.compile(r"/ideen/\d+/eingereicht/$"))
    assert_lindenfurt(page)
    idea = Idea.objects.get(title="Schattenbäume am Marktplatz")
    assert idea.reference.startswith("LF-")
    assert list(idea.quarters.all()) == [markt]

    # The list and the map's quarter outlines are Lindenfurt's.
    page.goto(f"{live_server.url}/ideen/")
    assert_lindenfurt(page)
    outlines = page.request.get(f"{live_server.url}/karte/stadtteile.geojson").json()
    assert sorted(f["properties"]["code"] for f in outlines["features"]) == [
        "L01",
        "L02",
        "L03",
        "L04",
        "L05",
        "L06",
    ]

    # An assessor scores it with Lindenfurt's catalogue.
    ensure_role_groups()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    assessor = UserFactory(display_name="Gutachterin")
    assessor.groups.add(Group.objects.get(name="Bewertung"))
    Idea.objects.filter(pk=idea.pk).update(status=Status.SCREENED)
    assessments.assessors_assign(ideas=[idea], assessors=[assessor], by=editor)
    page.context.clear_cookies()
    log_in(page, live_server, assessor)
    page.goto(f"{live_server.url}/bewertung/")
    assert_lindenfurt(page)
    page.click(f"text={idea.reference}")
    for name in ("Stadtbezug", "Umsetzbarkeit", "Klimawirkung", "Beteiligung", "Kosten"):
        expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main")).not_to_contain_text("Strategiebezug")  # Halle's criterion
    assert_lindenfurt(page)
