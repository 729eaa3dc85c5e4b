from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from halle_smartcity.templatetags.kern import berlin, time_left
from tests.factories import CallFactory


def test_moments_are_shown_the_german_way_in_berlin_time():
    winter = datetime(2023, 1, 8, 22, 59, tzinfo=UTC)  # 23:59 in Berlin (CET)
    summer = datetime(2023, 7, 1, 21, 59, tzinfo=UTC)  # 23:59 in Berlin (CEST)
    with translation.override("de"):
        assert berlin(winter) == "08.01.2023, 23:59 Uhr"
        assert berlin(summer) == "01.07.2023, 23:59 Uhr"
        assert berlin(winter, False) == "08.01.2023"
    with translation.override("en"):
        assert berlin(winter) == "08.01.2023, 23:59"


def test_time_left_in_words():
    now = datetime(2023, 1, 1, 12, 0, tzinfo=UTC)
    with translation.override("de"):
        assert time_left(now + timedelta(days=7, hours=3), now) == "noch 7 Tage"
        assert time_left(now + timedelta(hours=1, minutes=5), now) == "noch 1 Stunde"
        assert time_left(now - timedelta(seconds=1), now) == "abgelaufen"


@pytest.mark.django_db
def test_call_page_shows_deadline_and_extension_in_berlin_time(client):
    from ideas.services import call_extend

    call = CallFactory(
        closes_at=datetime(2030, 12, 16, 22, 59, tzinfo=UTC),
        deadline=datetime(2030, 12, 16, 22, 59, tzinfo=UTC),
    )
    call_extend(
        call=call, new_deadline=datetime(2031, 1, 8, 22, 59, tzinfo=UTC), reason="Weihnachtsferien"
    )
    page = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "08.01.2031, 23:59 Uhr" in page
    assert "16.12.2030, 23:59 Uhr" in page
    assert "Weihnachtsferien" in page


@pytest.mark.django_db
def test_language_switch_turns_the_site_english(client):
    assert "Alle Ideen" in client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    client.get(reverse("set-language", args=["en"]), {"next": "/"})
    assert "All ideas" in client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/ideen/", "/datenschutz/", "/konto/login/"])
def test_pages_load_nothing_from_other_hosts(client, url):
    page = client.get(url).content.decode()
    for marker in ('src="http', "src='http", 'href="http', "url(http", "//cdn", "fonts.g"):
        assert marker not in page, marker


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no other host
    assert policy["frame-ancestors"] == "'none'"
    # The one other host: the map tiles, which the browser loads only after consent.
    assert policy["img-src"] == "'self' data: https://tile.openstreetmap.org"


@pytest.mark.django_db
def test_unknown_page_is_a_german_404(client):
    response = client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_pages_are_cached_and_invalidated_when_an_idea_changes(client):
    from tests.factories import IdeaFactory

    idea = IdeaFactory(title="Erster Titel")
    first = client.get("/ideen/")
    assert "Erster Titel" in first.content.decode()
    assert not first.cookies  # no CSRF token or session: the page can be shared
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/ideen/")
    assert len(queries) == 0  # served from the cache
    assert again.content == first.content
    idea.title = "Geänderter Titel"
    idea.save()
    page = client.get("/ideen/").content.decode()
    assert "Geänderter Titel" in page and "Erster Titel" not in page
    detail = client.get(idea.get_absolute_url()).content.decode()
    assert "Geänderter Titel" in detail


@pytest.mark.django_db
def test_signed_in_users_get_their_own_pages_not_the_cached_ones(client):
    from tests.factories import UserFactory

    anonymous = client.get("/ideen/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Meine Ideen" not in anonymous
    client.force_login(UserFactory())
    assert "Meine Ideen" in client.get("/ideen/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


@pytest.mark.django_db
def test_language_link_switches_and_refuses_foreign_redirects(client):
    response = client.get("/sprache/en/", {"next": "/ideen/"})
    assert response.status_code == 302 and response["Location"] == "/ideen/"
    assert "All ideas" in client.get("/ideen/").content.decode()
    evil = client.get("/sprache/de/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/"


@pytest.mark.django_db
def test_site_and_admin_name_their_favicon(client, admin_user):
    """Without a named icon the browser asks for /favicon.ico and logs a 404. The icon is
    the city folder's."""
    icon = '<link rel="icon" href="/stadt/favicon">'
    assert icon in client.get("/").content.decode()
    client.force_login(admin_user)
    assert icon in client.get("/verwaltung/").content.decode()
    favicon = client.get("/stadt/favicon")
    assert favicon.status_code == 200 and favicon["Content-Type"] == "image/svg+xml"
