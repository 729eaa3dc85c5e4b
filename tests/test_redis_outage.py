"""Redis stopped for 30 seconds while citizens submit 50 ideas, through the real stack:
gunicorn, a Celery worker, a private redis-server (cache in database 0, broker in 1) and an
SMTP inbox. Every public page keeps answering, every idea is saved, and once Redis is back
the outbox's sweep delivers each confirmation exactly once."""

import itertools
import re
import subprocess
import sys
import time

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from ideas.models import Idea, Status
from notices.models import Notice, NoticeState
from notices.services import enqueue_sweep
from tests.events.factories import EventFactory
from tests.factories import CallFactory, IdeaFactory, UserFactory
from tests.factories import action_field as field
from tests.processes import ROOT, database_url, free_port, stop_process, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Sehr-geheim-2026"  # tests.factories.UserFactory's
OUTAGE_SECONDS = 30
CITIZENS = 10
IDEAS_EACH = 5


class Site:
    """One browser: a cookie jar on the gunicorn under test."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=10, allow_redirects=False)

    def post_form(self, path: str, data: dict) -> requests.Response:
        """Open the form's page, then send it as the browser would, with its hidden fields."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        return self.session.post(
            self.base + path, data={**hidden, **data}, timeout=10, allow_redirects=False
        )


@pytest.fixture
def web(tmp_path, private_redis, workers):
    """gunicorn with the private Redis as cache and broker, and a worker on the same broker."""
    group = workers(private_redis.db_url(1))
    group.env["CACHE_URL"] = private_redis.db_url(0)
    group.start(concurrency=2)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **group.env,
        "CACHE_URL": private_redis.db_url(0),
        "CELERY_BROKER_URL": private_redis.db_url(1),
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "halle_smartcity.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return requests.get(base + "/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    wait_for(answers, timeout=60, message=log_path.read_text)
    yield base, group, log_path
    stop_process(process)


def idea_form(n: int) -> dict:
    return {
        "title": f"Idee während des Ausfalls {n}",
        "summary": "Kurz gesagt.",
        "description": "Ausführlich beschrieben.",
        "problem": "Das Problem.",
        "benefit": "Der Nutzen.",
        "action_fields": [str(field("verwaltung").pk)],
        "primary_field": str(field("verwaltung").pk),
        "whole_city": "on",
        "consent": "on",
        "intent": "submit",
        # The ideas resemble each other: each citizen has seen the similar ones already (the
        # step before submitting) and submits all the same.
        "similar_seen": "1",
    }


def sign_in(site: Site, email: str) -> None:
    response = site.post_form("/konto/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


def sweeps_done(group) -> int:
    return len(re.findall(r"notices\.tasks\.notices_sweep\[[^\]]+\] succeeded", group.logs()))


def test_redis_down_for_30_seconds_during_50_submissions(web, private_redis, smtp_inbox):
    base, group, log_path = web
    call = CallFactory()
    published = IdeaFactory(call=call, title="Schon länger öffentlich")
    event = EventFactory()
    citizens = [UserFactory() for _ in range(CITIZENS)]
    for citizen in citizens:
        # A hash the web process knows (the tests' own hasher is MD5); few rounds, so that
        # only the web process spends time on it (it rehashes at the first sign-in).
        citizen.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsalt", iterations=1000)
        citizen.save(update_fields=["password"])
    public_pages = [
        "/",
        "/ideen/",
        published.get_absolute_url(),
        "/ideen/karte/",
        "/statistik/",
        call.get_absolute_url(),
        "/veranstaltungen/",
        f"/veranstaltungen/{event.slug}/",
        "/api/v1/ideas/",
        "/konto/login/",
    ]
    browsers = [Site(base) for _ in citizens]
    for browser, citizen in list(zip(browsers, citizens, strict=True))[: CITIZENS // 2]:
        sign_in(browser, citizen.email)
    visitor = Site(base)
    answers = {path: [] for path in public_pages}

    pages = itertools.cycle(public_pages)

    def visit_public_pages_until(moment: float) -> None:
        # The anonymous visitor reads on while the citizens write, one page after another.
        while True:
            path = next(pages)
            answers[path].append(visitor.get(path).status_code)
            if time.monotonic() >= moment:
                return

    private_redis.stop()
    stopped = time.monotonic()
    # Half the citizens sign in only now, with the cache gone.
    for browser, citizen in list(zip(browsers, citizens, strict=True))[CITIZENS // 2 :]:
        sign_in(browser, citizen.email)
    total = CITIZENS * IDEAS_EACH
    for n in range(total):
        browser = browsers[n % CITIZENS]
        response = browser.post_form(f"/aufrufe/{call.slug}/idee-einreichen/", idea_form(n))
        assert response.status_code == 302, response.text
        assert re.fullmatch(r"/ideen/\d+/eingereicht/", response.headers["Location"])
        # Submissions spread over the outage, the public pages read in between.
        visit_public_pages_until(stopped + OUTAGE_SECONDS * (n + 1) / total)
    assert time.monotonic() - stopped >= OUTAGE_SECONDS
    assert not private_redis.answers(), "Redis came back too early"

    assert {path: set(codes) for path, codes in answers.items()} == {
        path: {200} for path in public_pages
    }
    ideas = Idea.objects.filter(call=call, status=Status.SUBMITTED).exclude(pk=published.pk)
    assert ideas.count() == total
    assert all(idea.reference for idea in ideas)
    confirmations = Notice.objects.filter(kind="submission_confirmation")
    assert confirmations.filter(state=NoticeState.PENDING).count() == total
    assert smtp_inbox.messages == []
    assert "The cache (Redis) is unreachable" in log_path.read_text()

    private_redis.start()
    enqueue_sweep()  # what beat does every minute
    wait_for(
        lambda: (
            not confirmations.filter(state=NoticeState.PENDING).exists()
            and len(smtp_inbox.messages) >= total
        ),
        timeout=120,
        message=group.logs,
    )
    # One more sweep, as beat's next one: nothing is sent twice.
    done = sweeps_done(group)
    enqueue_sweep()
    wait_for(lambda: sweeps_done(group) > done, timeout=60, message=group.logs)
    subjects = [message["Subject"] for message in smtp_inbox.messages]
    assert len(subjects) == total
    for idea in ideas.select_related("author"):
        mine = [m for m in smtp_inbox.messages if idea.reference in m["Subject"]]
        assert len(mine) == 1, idea.reference
        assert mine[0]["To"] == idea.author.email
    assert confirmations.filter(state=NoticeState.SENT).count() == total
