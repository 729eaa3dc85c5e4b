"""Loading a city folder: Halle's, the fictitious Lindenfurt's, and one over the other."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from audit.models import AuditEntry
from cities.folder import folder_read
from fields.models import ActionField, District, Quarter
from ideas.models import Call, Idea
from pages.models import Page
from review.assessments import catalogue_create_default
from tests.factories import CallFactory, IdeaFactory

pytestmark = pytest.mark.django_db

CITIES = Path(settings.BASE_DIR) / "cities"
HALLE = CITIES / "halle"
LINDENFURT = CITIES / "lindenfurt"


def load(directory, *args) -> str:
    out = StringIO()
    call_command("load_city", str(directory), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_both_folders_in_the_repository_are_valid():
    halle, lindenfurt = folder_read(HALLE), folder_read(LINDENFURT)
    assert len(halle.fields) == 4 and len(halle.quarters) == 42
    assert len(lindenfurt.fields) == 5 and len(lindenfurt.boundaries["features"]) == 6


def test_halle_reconciles_with_the_migrations_fields_and_a_second_load_changes_nothing():
    before = dict(ActionField.objects.values_list("slug", "pk"))
    load(HALLE)
    assert dict(ActionField.objects.values_list("slug", "pk")) == before
    assert ActionField.objects.get(slug="mobilitaet").name_en == "Mobility"
    assert Quarter.objects.filter(active=True).count() == 42
    assert District.objects.count() == 5
    assert "0 Änderungen" in load(HALLE)
    assert AuditEntry.objects.filter(action="cities.city.loaded").count() == 2


def test_a_dry_run_shows_the_changes_and_applies_nothing():
    output = load(LINDENFURT, "--dry-run")
    assert "Handlungsfeld „Klima und Umwelt“ wird angelegt." in output
    assert "Aufruf „Ideen für Lindenfurt“" in output
    assert "nichts wurde geändert" in output
    assert not ActionField.objects.filter(slug="klima").exists()
    assert not Quarter.objects.exists() and not Call.objects.exists()
    assert not AuditEntry.objects.filter(action="cities.city.loaded").exists()


def test_lindenfurt_boots_on_an_empty_database_with_its_call_and_catalogue():
    ActionField.objects.all().delete()
    load(LINDENFURT)
    assert list(ActionField.objects.active().values_list("slug", flat=True)) == [
        "klima",
        "gesundheit",
        "kultur",
        "wohnen",
        "energie",
    ]
    assert ActionField.objects.get(slug="gesundheit").colour == "#a3123a"
    assert Quarter.objects.get(code="L06").part_of == "Furtwiesen"
    assert list(District.objects.values_list("name", "code")) == [
        ("Altstadtbezirk", "1"),
        ("Außenbezirk", "2"),
    ]
    call = Call.objects.get(slug="ideen-fuer-lindenfurt")
    assert call.published and call.reference_prefix == "LF"
    catalogue = call.catalogues.get()
    weights = {c.code: c.weight for c in catalogue.criteria.all()}
    assert weights == {"A": 0, "B1": 40, "B2": 30, "B3": 20, "B4": 10}
    assert catalogue.threshold == 2.5
    imprint = Page.objects.get(slug="imprint")
    assert "Rathausplatz 1, 99999 Lindenfurt" in imprint.body_de


def test_loading_lindenfurt_over_halle_loses_no_idea(tmp_path):
    load(HALLE)
    idea = IdeaFactory(primary_field=ActionField.objects.get(slug="bildung"))
    idea.quarters.set([Quarter.objects.get(code="01")])
    load(LINDENFURT)
    idea = Idea.objects.get(pk=idea.pk)
    assert idea.primary_field.slug == "bildung" and not idea.primary_field.active
    retired = idea.quarters.get()
    assert retired.code == "01" and not retired.active
    assert Quarter.objects.filter(active=True).count() == 6

    # Lindenfurt renames a field and drops a quarter: the ideas keep both.
    klima = IdeaFactory(primary_field=ActionField.objects.get(slug="klima"))
    klima.quarters.set([Quarter.objects.get(code="L05")])
    changed = copy(LINDENFURT, tmp_path)

    def rename(fields):
        fields[0]["name"] = {"de": "Klimaschutz", "en": "Climate protection"}

    edit_yaml(changed / "fields.yaml", rename)
    csv = changed / "quarters.csv"
    csv.write_text(
        "\n".join(line for line in csv.read_text().splitlines() if ",L05," not in line) + "\n"
    )
    boundaries = changed / "boundaries.geojson"
    data = json.loads(boundaries.read_text())
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "L05"]
    boundaries.write_text(json.dumps(data))
    output = load(changed)
    assert "„Klima und Umwelt“ heißt künftig „Klimaschutz“ (seine Ideen bleiben)" in output
    assert "Stadtteil L05 „Birkenhain“ fehlt im Ordner und wird stillgelegt" in output
    klima = Idea.objects.get(pk=klima.pk)
    assert klima.primary_field.name == "Klimaschutz" and klima.primary_field.active
    assert klima.quarters.get().code == "L05"
    assert Idea.objects.count() == 2


def test_two_fields_may_swap_names(tmp_path):
    changed = copy(LINDENFURT, tmp_path)
    load(changed)

    def swap(fields):
        fields[2]["name"], fields[3]["name"] = fields[3]["name"], fields[2]["name"]

    edit_yaml(changed / "fields.yaml", swap)
    load(changed)
    assert ActionField.objects.get(slug="kultur").name == "Wohnen"
    assert ActionField.objects.get(slug="wohnen").name == "Kultur"


def test_edited_legal_pages_are_kept():
    page = Page.objects.get(slug="imprint")
    page.body_de = "Von der Redaktion geschrieben."
    page.save()
    load(LINDENFURT)
    assert Page.objects.get(slug="imprint").body_de == "Von der Redaktion geschrieben."


def test_the_default_catalogue_is_the_folders_of_city_dir(settings):
    settings.CITY_DIR = LINDENFURT
    catalogue = catalogue_create_default(call=CallFactory())
    assert [c.code for c in catalogue.criteria.all()] == ["A", "B1", "B2", "B3", "B4"]
    settings.CITY_DIR = HALLE
    catalogue = catalogue_create_default(call=CallFactory())
    assert catalogue.criteria.count() == 11


def test_loading_makes_cached_pages_stale(client, django_assert_num_queries, tmp_path):
    CallFactory()
    changed = copy(LINDENFURT, tmp_path)
    load(changed)
    assert "Klima und Umwelt" in client.get("/ideen/").content.decode()
    with django_assert_num_queries(0):
        client.get("/ideen/")  # from the page cache

    def rename(fields):
        fields[0]["name"] = {"de": "Klimaschutz", "en": "Climate protection"}

    edit_yaml(changed / "fields.yaml", rename)
    load(changed)
    page = client.get("/ideen/").content.decode()
    assert "Klimaschutz" in page and "Klima und Umwelt" not in page
