"""The guide documents every file's schema, and the running site takes its city from the
folder CITY_DIR names: name, logo, colours, map, mail signature."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from cities.folder import SCHEMA_DIR
from ideas import services
from ideas.maps import map_config
from ideas.services import idea_location_errors
from tests.ideas.test_services import complete_data

ROOT = Path(settings.BASE_DIR)
GUIDE = (ROOT / "docs" / "neue-stadt.md").read_text(encoding="utf-8")
LINDENFURT = ROOT / "cities" / "lindenfurt"


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_the_guide_names_every_schema_and_its_keys(path):
    assert f"`{path.name}`" in GUIDE
    schema = json.loads(path.read_text())
    for key in schema.get("properties", {}) or schema.get("items", {}).get("properties", {}):
        if path.name != "boundaries.schema.json":
            assert f"`{key}" in GUIDE or f".{key}`" in GUIDE, f"{path.name}: {key}"


@pytest.mark.django_db
def test_halle_by_default_on_every_page(client):
    page = client.get("/").content.decode()
    assert '<span class="site-brand__name">Mitmachen Halle (Saale)</span>' in page
    assert '<img class="site-brand__logo" src="/stadt/logo"' in page
    assert 'style="--city-accent: #1f5c99"' in page
    logo = client.get("/stadt/logo")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/svg+xml"
    assert logo["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.django_db
def test_another_folder_changes_name_logo_colours_and_map(client, settings):
    settings.CITY_DIR = LINDENFURT
    page = client.get("/").content.decode()
    assert "Lindenfurt Ideas Lab" in page and "Halle" not in page
    assert "--kern-color-action-default: #2d6a1f; --city-accent: #2d6a1f" in page
    assert client.get("/stadt/favicon")["Content-Type"] == "image/png"
    config = map_config()
    assert config["center"] == [50.5, 9.5]
    assert config["bounds"] == [[50.45, 9.40], [50.55, 9.60]]
    assert config["tileUrl"] == ""
    assert idea_location_errors(latitude=51.48, longitude=11.97)  # Halle lies outside
    assert idea_location_errors(latitude=50.5, longitude=9.5) == {}
    assert client.get("/impressum/").status_code == 200


@pytest.mark.django_db
def test_settings_override_the_folder(client, settings):
    settings.MITMACHEN_SITE_NAME = "Beteiligung Testhausen"
    settings.MITMACHEN_MAP_CENTER = (50.0, 10.0)
    assert "Beteiligung Testhausen" in client.get("/").content.decode()
    assert map_config()["center"] == [50.0, 10.0]


@pytest.mark.django_db
def test_mails_carry_the_folders_signature(
    open_call, citizen, settings, django_capture_on_commit_callbacks
):
    settings.CITY_DIR = LINDENFURT
    idea = services.idea_save_draft(call=open_call, author=citizen, data=complete_data())
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea=idea, by=citizen)
    assert "Ihr Ideenlabor der Stadt Lindenfurt" in mail.outbox[0].body
    assert "Ihr Ideenlabor der Stadt Lindenfurt" in mail.outbox[0].alternatives[0].content


@pytest.mark.django_db
def test_the_english_form_names_the_fields_in_english(client, citizen, open_call):
    call_command("load_city", str(LINDENFURT), stdout=StringIO())
    client.force_login(citizen)
    client.get("/sprache/en/")
    page = client.get(f"/aufrufe/{open_call.slug}/idee-einreichen/").content.decode()
    assert "Climate and environment" in page and "Klima und Umwelt" not in page
    client.get("/sprache/de/")
    page = client.get(f"/aufrufe/{open_call.slug}/idee-einreichen/").content.decode()
    assert "Klima und Umwelt" in page


@pytest.mark.django_db
def test_the_english_pages_name_an_ideas_fields_in_english(client, open_call):
    from fields.models import ActionField
    from tests.factories import IdeaFactory

    call_command("load_city", str(LINDENFURT), stdout=StringIO())
    field = ActionField.objects.get(name="Klima und Umwelt")
    idea = IdeaFactory(call=open_call, primary_field=field, action_fields=[field])
    client.get("/sprache/en/")
    for url in (idea.get_absolute_url(), "/ideen/"):
        page = client.get(url).content.decode()
        assert "Climate and environment" in page, url
        assert "Klima und Umwelt" not in page, url
