"""What operators see: JSON log lines with the request's id, Sentry reports without personal
data, Prometheus metrics behind a token with the outbox and the Celery queue."""

import json
import logging
import uuid

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext

from halle_smartcity.celery import app as celery_app
from halle_smartcity.logs import RequestIdFilter, request_id
from halle_smartcity.sentry import scrub_event
from notices.models import Notice, NoticeState
from tests.settings_process import PROD_ENV, run_with_settings


def run_prod(code: str, **extra: str):
    return run_with_settings("prod", {**PROD_ENV, **extra}, code, setup=False)


LOGGING_SCRIPT = """
import django, logging
django.setup()
from halle_smartcity.logs import request_id
request_id.set("req-0123456789")
log = logging.getLogger("ideas.services")
log.warning("Zustellung verzögert: %s Versuche", 3)
try:
    1 / 0
except ZeroDivisionError:
    log.exception("Einreichung fehlgeschlagen")
"""


def test_production_logs_one_json_object_per_event_on_stdout():
    result = run_prod(LOGGING_SCRIPT)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout  # the traceback stays inside its line
    warning, error = (json.loads(line) for line in lines)
    assert warning["level"] == "WARNING"
    assert warning["logger"] == "ideas.services"
    assert warning["message"] == "Zustellung verzögert: 3 Versuche"
    assert warning["request_id"] == "req-0123456789"
    assert warning["time"].startswith("20")
    assert error["level"] == "ERROR"
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert error["exc_info"].endswith("ZeroDivisionError: division by zero")


def test_log_format_text_is_for_a_terminal():
    result = run_prod(LOGGING_SCRIPT, LOG_FORMAT="text")

    assert result.returncode == 0, result.stderr
    assert "WARNING ideas.services [req-0123456789] Zustellung verzögert: 3 Versuche" in (
        result.stdout
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.splitlines()[0])


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.addFilter(RequestIdFilter())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    handler = Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_on_the_response_and_the_log(client, request_log):
    response = client.get("/gibt-es-nicht/", headers={"X-Request-ID": "caddy-4f2a9c1e"})

    assert response.status_code == 404
    assert response["X-Request-ID"] == "caddy-4f2a9c1e"
    assert [record.request_id for record in request_log] == ["caddy-4f2a9c1e"]
    assert request_id.get() is None  # lines after the request belong to none


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", [None, "short", "two words here", "x" * 200, "a\\nb;c=d"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, request_log, incoming):
    headers = {"X-Request-ID": incoming} if incoming else {}
    first = client.get("/gibt-es-nicht/", headers=headers)["X-Request-ID"]
    second = client.get("/gibt-es-nicht/", headers=headers)["X-Request-ID"]

    assert first != second
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert [record.request_id for record in request_log] == [first, second]


# --- Sentry -----------------------------------------------------------------------------------


def realistic_event() -> dict:
    """What the Django integration sends for a crash while a citizen submits an idea."""
    return {
        "event_id": "6f1c2d3e4b5a69788796a5b4c3d2e1f0",
        "level": "error",
        "platform": "python",
        "message": "Zustellung an anna.schmidt@example.org von 203.0.113.7 fehlgeschlagen",
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key value violates unique constraint "notice_dedupe"'
                    "\nDETAIL:  Key (email)=(anna.schmidt@example.org) already exists.",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "ideas/services.py",
                                "function": "idea_submit",
                                "lineno": 120,
                                "context_line": "    notice_write(idea=idea)",
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": "https://mitmachen.example/aufrufe/halle/idee-einreichen/?email=anna@example.org",
            "method": "POST",
            "query_string": "email=anna@example.org",
            "data": {"title": "Mehr Bänke", "contact_email": "anna.schmidt@example.org"},
            "cookies": {"sessionid": "k3y", "csrftoken": "t0k"},
            "headers": {
                "Host": "mitmachen.example",
                "User-Agent": "Mozilla/5.0",
                "Cookie": "sessionid=k3y; csrftoken=t0k",
                "Referer": "https://mitmachen.example/abmelden/s3cr3t-token/",
                "X-Forwarded-For": "203.0.113.7",
                "X-Request-Id": "caddy-4f2a9c1e",
                "Authorization": "Basic YW5uYTpwdw==",
            },
            "env": {"REMOTE_ADDR": "10.0.0.3", "SERVER_NAME": "web"},
        },
        "user": {
            "id": "42",
            "email": "anna.schmidt@example.org",
            "ip_address": "203.0.113.7",
            "username": "anna",
        },
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": "SELECT ... WHERE email = 'anna@example.org'"},
                {"category": "django.request", "message": "POST from 2001:db8:0:0:1::7"},
            ]
        },
        "tags": {"request_id": "caddy-4f2a9c1e"},
        "modules": {"django": "6.1.3"},
    }


def test_sentry_events_leave_without_personal_data():
    event = scrub_event(realistic_event(), {})
    sent = json.dumps(event)

    for personal in ("anna", "203.0.113.7", "2001:db8", "k3y", "t0k", "s3cr3t", "YW5uYTpwdw"):
        assert personal not in sent
    request = event["request"]
    assert set(request) == {"url", "method", "headers"}
    assert request["url"] == "https://mitmachen.example/aufrufe/halle/idee-einreichen/"
    assert request["headers"] == {
        "Host": "mitmachen.example",
        "User-Agent": "Mozilla/5.0",
        "X-Request-Id": "caddy-4f2a9c1e",
    }
    assert event["user"] == {"id": "42"}
    # What finds the bug stays.
    exception = event["exception"]["values"][0]
    assert exception["type"] == "IntegrityError"
    assert exception["value"].endswith("Key (email)=([email]) already exists.")
    assert exception["stacktrace"]["frames"][0]["function"] == "idea_submit"
    assert event["message"] == "Zustellung an [email] von [ip] fehlgeschlagen"
    assert event["tags"] == {"request_id": "caddy-4f2a9c1e"}
    assert event["modules"] == {"django": "6.1.3"}


def test_sentry_is_set_up_without_personal_data_when_a_dsn_is_given():
    code = (
        "import django; django.setup(); import sentry_sdk; "
        "o = sentry_sdk.get_client().options; "
        "print(o['dsn'], o['send_default_pii'], o['include_local_variables'], "
        "o['max_request_body_size'], o['before_send'].__name__, "
        "sorted(i for i in sentry_sdk.get_client().integrations "
        "if i in ('django', 'celery')))"
    )
    result = run_prod(code, SENTRY_DSN="https://public@sentry.example/3")
    without = run_prod(
        "import django; django.setup(); import sentry_sdk; "
        "print(sentry_sdk.get_client().is_active())"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=5) == [
        "https://public@sentry.example/3",
        "False",
        "False",
        "never",
        "scrub_event",
        "['celery', 'django']\n",
    ]
    assert without.stdout.strip() == "False"


# --- Prometheus -------------------------------------------------------------------------------

TOKEN = "metrics-token-0123456789abcdef"


def test_without_a_token_setting_there_are_no_metrics(client, settings, db):
    settings.MITMACHEN_METRICS_TOKEN = ""

    assert client.get("/metrics/", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_metrics_need_the_token(client, settings, authorization):
    settings.MITMACHEN_METRICS_TOKEN = TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics/", headers=headers, HTTP_HOST="10.42.0.7:8000")

    assert response.status_code == 403
    assert b"mitmachen" not in response.content


@pytest.fixture
def broker_queue(monkeypatch, redis_url):
    """The Celery app pointed at the test's Redis, with a queue of its own."""
    url = redis_url
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    yield queue
    redis.Redis.from_url(url).delete(queue)


def _notices(state: str, count: int) -> None:
    for _ in range(count):
        Notice.objects.create(
            kind="test", email="x@example.org", dedupe_key=uuid.uuid4().hex, state=state
        )


def _scrape(client) -> dict[str, float]:
    response = client.get(
        "/metrics/", headers={"Authorization": f"Bearer {TOKEN}"}, HTTP_HOST="10.42.0.7:8000"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_metrics_count_the_outbox_and_the_queue_at_scrape_time(client, settings, broker_queue, db):
    settings.MITMACHEN_METRICS_TOKEN = TOKEN
    _notices(NoticeState.PENDING, 2)
    _notices(NoticeState.FAILED, 1)
    _notices(NoticeState.SENT, 4)
    with celery_app.connection_for_write() as broker:
        for _ in range(3):
            celery_app.send_task("notices.tasks.notices_sweep", connection=broker)

    samples = _scrape(client)

    assert samples['mitmachen_outbox_notices{state="pending"}'] == 2
    assert samples['mitmachen_outbox_notices{state="failed"}'] == 1
    assert 0 <= samples["mitmachen_outbox_oldest_pending_seconds"] < 600
    assert samples[f'mitmachen_celery_queue_length{{queue="{broker_queue}"}}'] == 3
    assert samples["mitmachen_celery_broker_up"] == 1
    # django-prometheus counts the requests themselves.
    assert any(name.startswith("django_http_requests_total_by_method") for name in samples)


def test_scraping_costs_the_same_queries_with_many_notices(client, settings, broker_queue, db):
    settings.MITMACHEN_METRICS_TOKEN = TOKEN
    _notices(NoticeState.PENDING, 2)
    with CaptureQueriesContext(connection) as few:
        _scrape(client)
    _notices(NoticeState.PENDING, 40)
    _notices(NoticeState.FAILED, 40)
    with CaptureQueriesContext(connection) as many:
        samples = _scrape(client)

    assert samples['mitmachen_outbox_notices{state="pending"}'] == 42
    assert len(few) == len(many) == 1
