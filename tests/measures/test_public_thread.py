"""The public thread: an idea's path on its page after each step, the measures' overview
with its filters, the measure's page, "My ideas" and the strategy's annex."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas.models import Status
from measures import profiles, services
from measures.models import Measure, MeasureStatus
from review.services import idea_transition
from tests.factories import IdeaFactory, QuarterFactory, action_field, user_with_role
from tests.review.test_triage import qualify_ready

pytestmark = pytest.mark.django_db


def path_of(client, idea) -> dict[str, str]:
    """The path section of the idea's page: step label → what it says."""
    html = client.get(idea.get_absolute_url()).content.decode()
    section = html[
        html.index('class="idea-path"') : html.index("</section>", html.index('class="idea-path"'))
    ]
    steps = re.findall(r'idea-path__label">([^<]+)</span>:(.*?)</li>', section, re.S)
    return {label: " ".join(re.sub(r"<[^>]+>", "", text).split()) for label, text in steps}


def test_the_path_on_the_idea_page_after_each_step(client):
    editor = user_with_role("Redaktion")
    idea = IdeaFactory(status=Status.SUBMITTED, call__published=True)
    path = path_of(client, idea)
    assert path["Eingereicht"].startswith("erreicht am")
    assert path["Bewertet"] == "noch nicht"

    for status in (Status.SCREENED, Status.IN_QUALIFICATION):
        idea = idea_transition(idea=idea, to=status, by=editor, reason="Geprüft")
    idea = idea_transition(idea=qualify_ready(idea), to=Status.QUALIFIED, by=editor, reason="Gut")
    path = path_of(client, idea)
    assert path["Bewertet"].startswith("erreicht am") and "(Qualifiziert)" in path["Bewertet"]
    assert path["Teil einer Maßnahme"] == "noch nicht"

    measure = services.measure_save(
        measure=Measure(call=idea.call, title="Smarte Laternen", slug="laternen", published=True),
        by=editor,
        ideas=[idea],
    )
    path = path_of(client, idea)
    assert "Smarte Laternen" in path["Teil einer Maßnahme"]
    assert path["Vom Stadtrat beschlossen"] == "noch nicht"

    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)
    profiles.measure_status_change(measure=measure, to=MeasureStatus.ADOPTED, by=editor)
    path = path_of(client, idea)
    assert path["Vom Stadtrat beschlossen"].startswith("erreicht am")
    assert path["Umgesetzt"] == "noch nicht"

    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_IMPLEMENTATION, by=editor)
    assert path_of(client, idea)["In Umsetzung"].startswith("erreicht am")
    profiles.measure_status_change(measure=measure, to=MeasureStatus.COMPLETED, by=editor)
    assert path_of(client, idea)["Umgesetzt"].startswith("erreicht am")


def test_an_unpublished_measure_is_not_on_the_path(client):
    editor = user_with_role("Redaktion")
    idea = IdeaFactory(status=Status.QUALIFIED, call__published=True)
    services.measure_save(
        measure=Measure(call=idea.call, title="Geheimer Entwurf", slug="entwurf"),
        by=editor,
        ideas=[idea],
    )
    assert "Geheimer Entwurf" not in client.get(idea.get_absolute_url()).content.decode()


def make_measure(editor, *, title, slug, field=None, quarter=None, status=None, published=True):
    idea = IdeaFactory(status=Status.QUALIFIED, call__published=True)
    measure = services.measure_save(
        measure=Measure(call=idea.call, title=title, slug=slug, published=published),
        by=editor,
        ideas=[idea],
        action_fields=[field] if field else [],
        quarters=[quarter] if quarter else [],
        contributions={idea.pk: f"Beitrag zu {title}"},
    )
    if status:
        profiles.measure_status_change(measure=measure, to=status, by=editor, reason="Test")
    return measure


def titles(response) -> list[str]:
    return re.findall(r'kern-link--stretched" href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_overview_filters_by_field_quarter_and_status(client):
    editor = user_with_role("Redaktion")
    mobility, education = action_field("mobilitaet"), action_field("bildung")
    old_town = QuarterFactory(code="Q01", name="Altstadt")
    make_measure(editor, title="Rad", slug="rad", field=mobility, quarter=old_town)
    make_measure(
        editor, title="Schule", slug="schule", field=education, status=MeasureStatus.ADOPTED
    )
    make_measure(editor, title="Entwurf", slug="entwurf", field=mobility, published=False)
    url = reverse("measures:measure-list")
    assert titles(client.get(url)) == ["Rad", "Schule"]
    assert titles(client.get(url, {"field": "mobilitaet"})) == ["Rad"]
    assert titles(client.get(url, {"quarter": "Q01"})) == ["Rad"]
    assert titles(client.get(url, {"status": "adopted"})) == ["Schule"]
    unknown = client.get(url, {"status": "erfunden", "field": "bildung"})
    assert "Einige Filter wurden nicht erkannt" in unknown.content.decode()
    assert titles(unknown) == ["Schule"]


def test_the_overview_and_the_annex_read_in_constant_queries(
    client, django_assert_max_num_queries
):
    editor = user_with_role("Redaktion")
    field, quarter = action_field("mobilitaet"), QuarterFactory()
    for count in (2, 12):
        for index in range(count):
            make_measure(
                editor,
                title=f"M{count}-{index}",
                slug=f"m{count}-{index}",
                field=field,
                quarter=quarter,
            )
        with django_assert_max_num_queries(12):
            client.get(reverse("measures:measure-list"))
        with django_assert_max_num_queries(14):
            client.get(reverse("measures:measure-annex"))


def test_the_measure_page_shows_profile_contributions_and_updates(client):
    editor = user_with_role("Redaktion")
    measure = make_measure(editor, title="Laternen", slug="laternen")
    measure.goal, measure.partners = "Weniger Energie", "Stadtwerke\nHochschule"
    services.measure_save(measure=measure, by=editor)
    profiles.measure_milestones_set(
        measure=measure, by=editor, rows=[{"title": "Ausschreibung", "due": date(2027, 6, 1)}]
    )
    profiles.measure_indicators_set(
        measure=measure, by=editor, rows=[{"name": "Laternen", "unit": "Stück", "target": 500}]
    )
    profiles.measure_update_publish(measure=measure, by=editor, text="Die Ausschreibung läuft.")
    html = client.get(measure.get_absolute_url()).content.decode()
    for text in (
        "Weniger Energie",
        "Stadtwerke, Hochschule",
        "Ausschreibung",
        "01.06.2027",
        "500 Stück",
        "Beitrag zu Laternen",
        "Die Ausschreibung läuft.",
    ):
        assert text in html


def test_my_ideas_shows_where_each_idea_went(client):
    editor = user_with_role("Redaktion")
    measure = make_measure(editor, title="Laternen", slug="laternen")
    idea = measure.ideas.get()
    IdeaFactory(author=idea.author, title="Noch offen")
    client.force_login(idea.author)
    html = client.get(reverse("ideas:my-ideas")).content.decode()
    assert "Eingeflossen in die Maßnahme" in html and "Laternen" in html
    assert html.count("Eingeflossen in die Maßnahme") == 1


def test_the_annex_lists_every_public_measure_with_its_public_source_ideas(client):
    editor = user_with_role("Redaktion")
    measure = make_measure(editor, title="Laternen", slug="laternen")
    make_measure(editor, title="Geheim", slug="geheim", published=False)
    source = measure.ideas.get()
    html = client.get(reverse("measures:measure-annex")).content.decode()
    assert "1. Laternen" in html and "Geheim" not in html
    assert f"{source.reference} {source.title}: Beitrag zu Laternen" in html
    assert "measures/annex" in html  # the print stylesheet


def test_the_statistics_count_the_ideas_that_reached_a_measure_by_field(client):
    editor = user_with_role("Redaktion")
    mobility = action_field("mobilitaet")
    make_measure(editor, title="Rad", slug="rad", field=mobility)
    make_measure(editor, title="Geheim", slug="geheim", published=False, field=mobility)
    html = client.get(reverse("ideas:statistics")).content.decode()
    assert "1 veröffentlichte Idee ist in eine Maßnahme der Strategie eingeflossen." in html
    panel = html[html.index('id="stat-measures"') :]
    row = re.search(r"Mobilität</th><td class=\"kern-table__cell\">(\d+)</td>", panel)
    assert row and row.group(1) == "1"


def test_my_ideas_reads_in_constant_queries(client):
    editor = user_with_role("Redaktion")
    author = IdeaFactory().author  # one idea in no measure
    client.force_login(author)
    counts, in_measures = [], 0
    for size in (2, 12):
        for index in range(size):
            measure = make_measure(editor, title=f"M{size}-{index}", slug=f"m{size}-{index}")
            measure.ideas.update(author=author)
        in_measures += size
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("ideas:my-ideas")).content.decode()
        assert html.count("Eingeflossen in die Maßnahme") == in_measures
        counts.append(len(queries))
    assert counts[0] == counts[1]
