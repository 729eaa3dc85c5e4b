"""Measures in a real browser: axe on the overview, a measure's page, the annex, an idea's
path and "My ideas"; the editor finds an idea by its title in the measure form's picker and
saves it with its contribution."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from ideas.models import Status
from measures import profiles, services
from measures.models import Measure, MeasureIdea, MeasureStatus
from tests.factories import CallFactory, IdeaFactory, UserFactory, ensure_role_groups

from .conftest import axe_violations, describe, log_in, serious

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page):
    problems = serious(axe_violations(page))
    assert not problems, f"axe on {page.url}:\n{describe(problems)}"


@pytest.fixture
def thread(action_fields, quarters):
    ensure_role_groups()
    editor = UserFactory(is_staff=True, display_name="Redakteurin")
    editor.groups.add(Group.objects.get(name="Redaktion"))
    call = CallFactory()
    idea = IdeaFactory(
        call=call,
        status=Status.QUALIFIED,
        title="Laternen mit Sensoren",
        primary_field=action_fields["mobilitaet"],
    )
    measure = services.measure_save(
        measure=Measure(
            call=call,
            title="Smarte Straßenbeleuchtung",
            slug="licht",
            published=True,
            goal="Weniger Energie, mehr Sicherheit",
            partners="Stadtwerke\nHochschule",
        ),
        by=editor,
        ideas=[idea],
        action_fields=[action_fields["mobilitaet"]],
        quarters=[quarters[0]],
        contributions={idea.pk: "Die Sensoren"},
    )
    profiles.measure_milestones_set(
        measure=measure, by=editor, rows=[{"title": "Ausschreibung", "due": date(2027, 6, 1)}]
    )
    profiles.measure_indicators_set(
        measure=measure, by=editor, rows=[{"name": "Laternen", "unit": "Stück", "target": 500}]
    )
    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)
    other = IdeaFactory(call=call, status=Status.QUALIFIED, title="Parkplatzsensoren am Markt")
    return {"editor": editor, "idea": idea, "measure": measure, "other": other}


def test_the_measures_pages_have_no_serious_axe_violations(page, live_server, thread):
    urls = [
        "/massnahmen/",
        "/massnahmen/?field=mobilitaet&status=in_draft",
        "/massnahmen/?status=erfunden",
        thread["measure"].get_absolute_url(),
        "/massnahmen/anhang/",
        thread["idea"].get_absolute_url(),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    page.goto(thread["idea"].get_absolute_url())
    expect(page.locator(".idea-path")).to_contain_text("Smarte Straßenbeleuchtung")
    log_in(page, live_server, thread["idea"].author)
    page.goto("/meine-ideen/")
    expect(page.locator("main table")).to_contain_text("Eingeflossen in die Maßnahme")
    assert_accessible(page)


def test_the_staff_screens_of_measures_have_no_serious_axe_violations(page, live_server, thread):
    log_in(page, live_server, thread["editor"])
    for url in (
        "/verwaltung/measures/measure/",
        "/verwaltung/measures/measure/add/",
        "/verwaltung/measures/invitation/",
        "/verwaltung/measures/invitation/briefe/",
        "/verwaltung/measures/workshopresult/add/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


def test_the_editor_picks_an_idea_by_its_title(page, live_server, thread):
    log_in(page, live_server, thread["editor"])
    page.goto(f"/verwaltung/measures/measure/{thread['measure'].pk}/change/")
    assert_accessible(page)
    # The empty row of the source ideas: open its picker and search by a word of the title.
    page.locator("#sources-group .select2-selection").last.click()
    page.locator(".select2-search__field").fill("Parkplatz")
    option = page.locator(".select2-results__option", has_text="Parkplatzsensoren am Markt")
    expect(option).to_be_visible()
    option.click()
    page.locator("textarea[name='sources-1-contribution']").fill("Die Parkplätze")
    page.locator("input[name='_continue']").click()
    expect(page.locator(".messagelist")).to_be_visible()
    source = MeasureIdea.objects.get(measure=thread["measure"], idea=thread["other"])
    assert source.contribution == "Die Parkplätze"
    thread["other"].refresh_from_db()
    assert thread["other"].status == Status.IN_MEASURE
