"""Every bad input of a city folder is reported with its file and place, and nothing is
applied."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cities.folder import CityFolderInvalid, folder_read
from fields.models import ActionField, Quarter
from halle_smartcity.svg import svg_problems
from ideas.models import Call

pytestmark = pytest.mark.django_db

LINDENFURT = Path(settings.BASE_DIR) / "cities" / "lindenfurt"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "stadt"
    shutil.copytree(LINDENFURT, target)
    return target


def problems(directory: Path) -> list[str]:
    with pytest.raises(CityFolderInvalid) as caught:
        folder_read(directory)
    return [str(problem) for problem in caught.value.problems]


def assert_nothing_applied(directory: Path) -> str:
    before = set(ActionField.objects.values_list("slug", "name", "active"))
    err = StringIO()
    with pytest.raises(CommandError, match="nichts wurde geändert"):
        call_command("load_city", str(directory), stdout=StringIO(), stderr=err)
    assert set(ActionField.objects.values_list("slug", "name", "active")) == before
    assert not Quarter.objects.exists() and not Call.objects.exists()
    return err.getvalue()


def test_a_missing_file(folder):
    (folder / "catalogue.yaml").unlink()
    assert problems(folder) == [
        "catalogue.yaml: Die Datei fehlt; sie ist Pflicht (siehe docs/neue-stadt.md)."
    ]
    assert "catalogue.yaml: Die Datei fehlt" in assert_nothing_applied(folder)


def test_a_malformed_csv_row_names_its_line(folder):
    csv = folder / "quarters.csv"
    lines = csv.read_text().splitlines()
    lines[2] = "Altstadtbezirk,1,L02,Mühlengrund,Stadtteil,,zu,viele"
    lines[3] = "Altstadtbezirk,1,L03,Lindenhöhe,Dorf,"
    csv.write_text("\n".join(lines) + "\n")
    found = problems(folder)
    assert found[0].startswith("quarters.csv, Zeile 3: Die Zeile hat nicht so viele Spalten")
    assert found[1] == (
        "quarters.csv, Zeile 4, Spalte kind: „Dorf“ ist nicht erlaubt; möglich: "
        "Stadtteil, Stadtviertel."
    )
    assert_nothing_applied(folder)


def test_duplicate_quarter_codes(folder):
    csv = folder / "quarters.csv"
    csv.write_text(csv.read_text() + "Außenbezirk,2,L01,Neues Viertel,Stadtteil,\n")
    assert problems(folder) == [
        "quarters.csv, Zeile 8: Der Schlüssel L01 steht schon in Zeile 2; jeder Stadtteil "
        "braucht einen eigenen."
    ]
    assert_nothing_applied(folder)


def test_weights_that_do_not_add_up_to_100(folder):
    path = folder / "catalogue.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"][1]["weight"] = 45
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert problems(folder) == [
        "catalogue.yaml, criteria: Die Gewichte ergeben zusammen 105 % statt 100 %."
    ]
    assert_nothing_applied(folder)


def test_an_unknown_colour_token(folder):
    (folder / "branding.yaml").write_text(
        "logo: logo.svg\nkern_colours:\n  action-defualt: '#2d6a1f'\n"
    )
    assert problems(folder) == [
        "branding.yaml, kern_colours › action-defualt: „action-defualt“ ist kein Farbtoken "
        "von KERN (erwartet z. B. „action-default“, ohne „--kern-color-“)."
    ]
    assert_nothing_applied(folder)


def test_a_malformed_colour(folder):
    (folder / "branding.yaml").write_text(
        "logo: logo.svg\nkern_colours:\n  action-default: green\n"
    )
    assert problems(folder) == [
        "branding.yaml, Zeile 3, kern_colours › action-default: „green“ hat nicht das "
        "erwartete Format "
        "(Farbe als #rrggbb)."
    ]
    assert_nothing_applied(folder)


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Das Element <script> ist nicht erlaubt",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "Das Attribut „onload“ an <svg> ist ein Event-Handler.",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="https://evil.example/x.png"/></svg>',
            "verweist nach außerhalb der Datei",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.example/a)"/>'
            "</svg>",
            "lädt etwas über url(...)",
        ),
        ('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    ],
)
def test_an_svg_logo_with_script_or_outside_references_is_refused(folder, svg, reason):
    (folder / "logo.svg").write_text(svg)
    found = problems(folder)
    assert any(line.startswith("logo.svg: ") and reason in line for line in found), found
    assert_nothing_applied(folder)


def test_the_site_does_not_serve_a_logo_that_became_unsafe(folder, client, settings):
    settings.CITY_DIR = folder
    assert client.get("/stadt/logo").status_code == 200
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onclick="x()"/>')
    assert client.get("/stadt/logo").status_code == 404


def test_safe_svgs_pass():
    assert svg_problems((LINDENFURT / "logo.svg").read_bytes()) == []
    local = b'<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/><rect fill="url(#g)"/></svg>'
    assert svg_problems(local) == []


def _boundaries(folder: Path, change) -> None:
    path = folder / "boundaries.geojson"
    data = json.loads(path.read_text())
    change(data["features"])
    path.write_text(json.dumps(data))


def test_a_boundary_that_is_not_a_polygon(folder):
    def point(features):
        features[1]["geometry"] = {"type": "Point", "coordinates": [9.5, 50.5]}

    _boundaries(folder, point)
    assert problems(folder) == [
        "boundaries.geojson, features › Eintrag 2 › geometry › type: „Point“ ist nicht "
        "erlaubt; möglich: Polygon, MultiPolygon."
    ]
    assert_nothing_applied(folder)


def test_a_boundary_outside_the_bounds_or_for_an_unknown_quarter(folder):
    def move(features):
        features[0]["geometry"]["coordinates"][0][1] = [11.97, 51.48]
        features[2]["properties"]["code"] = "X99"

    _boundaries(folder, move)
    assert problems(folder) == [
        "boundaries.geojson, features › Eintrag 1 (L01): Der Umriss liegt (teilweise) "
        "außerhalb der Grenzen aus map.yaml.",
        "boundaries.geojson, features › Eintrag 3 (X99): Einen Stadtteil mit dem Schlüssel "
        "X99 gibt es in quarters.csv nicht.",
    ]
    assert_nothing_applied(folder)


def test_every_problem_is_reported_at_once_with_german_reasons(folder):
    (folder / "map.yaml").unlink()
    (folder / "city.yaml").write_text("key: Lindenfurt!\nname: ''\nsite_name: {de: x}\n")
    (folder / "fields.yaml").write_text("- key: a\n  name: {de: A}\n  colour: '#12345'\n  x: 1\n")
    found = problems(folder)
    assert "map.yaml: Die Datei fehlt; sie ist Pflicht (siehe docs/neue-stadt.md)." in found
    assert "city.yaml, Zeile 1, oberste Ebene: Pflichtangabe „contact, mail“ fehlt." in found
    assert "city.yaml, Zeile 2, name: Darf nicht leer sein." in found
    assert "fields.yaml, Zeile 1, Eintrag 1: Unbekannter Schlüssel „x“ (Tippfehler?)." in found
    assert "fields.yaml, Zeile 2, Eintrag 1 › name: Pflichtangabe „en“ fehlt." in found
    assert any(
        line.startswith("fields.yaml, Zeile 3, Eintrag 1 › colour: „#12345“") for line in found
    )
    assert_nothing_applied(folder)


def test_broken_yaml_names_its_line(folder):
    (folder / "map.yaml").write_text("center: [50.5, 9.5]\nbounds: {west: 9.4\n")
    found = problems(folder)
    assert found[0].startswith("map.yaml, Zeile 3: Kein gültiges YAML")


def test_a_missing_folder():
    with pytest.raises(CommandError):
        call_command("load_city", "/nonexistent/stadt", stdout=StringIO(), stderr=StringIO())
