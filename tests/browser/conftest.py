"""End-to-end tests in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Every test here is marked `browser`; deselect them with `-m "not browser"`. They need the
live server and must fail, not skip, when Chromium is missing.
"""

import io
import os
from importlib import import_module
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
ACTION_FIELD_SLUGS = ("bildung", "wirtschaft", "mobilitaet", "verwaltung")


def _is_browser_test(item) -> bool:
    return Path(str(item.path)).is_relative_to(Path(__file__).parent)


def pytest_itemcollected(item):
    # Called for the items of this folder only: mark them before `-m` selects.
    if _is_browser_test(item):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last (after pytest-django's own ordering): from the moment Playwright
    starts, its event loop counts as running in the main thread, and every test after it
    would need DJANGO_ALLOW_ASYNC_UNSAFE."""
    items.sort(key=_is_browser_test)


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's sync API keeps an asyncio loop running in the test thread, so Django's ORM
    refuses calls from the tests (factories, assertions, the database flush) as "async unsafe".
    Allow them for as long as Playwright runs, and only then: subprocesses that other tests
    start (manage.py check --deploy) must not inherit the variable."""
    ours = "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield playwright
    if ours:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # A missing browser is a failure of the environment, not a reason to skip.
    assert CHROMIUM.exists(), f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium"
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() go to the live server. (This also replaces
    pytest-playwright's fallback fixture, which pytest 9 warns about.)"""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "de-DE",
        "extra_http_headers": {"Accept-Language": "de-DE,de;q=0.9"},
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def action_fields(transactional_db):
    """The four action fields, by slug. Their data migration's rows do not survive the flush
    after a transactional test, so run the migration's function again (it updates or creates).
    (serialized_rollback=True is no help here: Django keeps the serialized rows on the
    connection object of the thread, and once Playwright's loop runs the ORM uses another
    one, so the rows are restored or not depending on which tests ran first.)"""
    from django.apps import apps

    from fields.models import ActionField

    import_module("fields.migrations.0002_action_fields").create(apps, None)
    fields = {
        field.slug: field for field in ActionField.objects.filter(slug__in=ACTION_FIELD_SLUGS)
    }
    assert set(fields) == set(ACTION_FIELD_SLUGS)
    return fields


@pytest.fixture
def quarters(db):
    from tests.factories import QuarterFactory

    return [QuarterFactory(name="Altstadt"), QuarterFactory(name="Giebichenstein")]


def jpeg_bytes(size=(64, 48), colour=(31, 92, 153)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def log_in(page, live_server, user):
    """Give the browser a session of `user` (signing in through the form is the journey's
    business; here it would only cost time)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def axe_violations(page, tags=AXE_TAGS):
    """axe-core's violations on the current page. Evaluated through DevTools, which the
    site's Content Security Policy (no inline scripts) does not block, and no network."""
    page.evaluate(AXE_JS)
    return page.evaluate(
        "async (t) => (await axe.run(document, {runOnly: {type: 'tag', values: t}})).violations",
        list(tags),
    )


def serious(violations):
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')!s}"[:600])
            lines.append(f"      {node['html'][:300]}")
    return "\n".join(lines)
