import sys

import pytest

from tests.settings_process import PROD_ENV, load_prod, run_with_settings


def test_production_settings_start_with_their_environment():
    result = load_prod(PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL", "SITE_URL", "SMTP_HOST"],
)
def test_production_refuses_to_start_without(missing):
    result = load_prod({key: value for key, value in PROD_ENV.items() if key != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_with_settings(
        "prod",
        PROD_ENV,
        argv=[sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_needs_no_services():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.MAILERS['default']['BACKEND'])"
    )
    result = run_with_settings("dev", {}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


REFUSED = "django.core.exceptions.ImproperlyConfigured: "


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"SMTP_HOST": None}, "The environment variable SMTP_HOST must be set."),
        (
            {"SMTP_HOST": "localhost"},
            "SMTP_HOST is 'localhost': in a container that is nobody. Name the mail server "
            "(or set SMTP_ALLOW_LOCAL=true for a relay on the same host).",
        ),
        (
            {"SMTP_PORT": "twenty-five"},
            "SMTP_PORT must be a whole number >= 1, not 'twenty-five'.",
        ),
        ({"SMTP_STARTTLS": "ture"}, "SMTP_STARTTLS must be true or false, not 'ture'."),
        (
            {"TRUSTED_PROXY_COUNT": "-1"},
            "TRUSTED_PROXY_COUNT must be a whole number >= 0, not '-1'.",
        ),
        (
            {"REMINDER_DAYS": "7,1d"},
            "REMINDER_DAYS must be comma-separated whole numbers, not '7,1d'.",
        ),
        (
            {"SITE_URL": "http://mitmachen.example"},
            "SITE_URL must be a URL starting with https://.",
        ),
        ({"SITE_URL": "mitmachen.example"}, "SITE_URL must be a URL starting with https://."),
        (
            {"ALLOWED_HOSTS": "https://mitmachen.example"},
            "ALLOWED_HOSTS must list host names (ideen.stadt.de), without scheme or '*'.",
        ),
        (
            {"CSRF_TRUSTED_ORIGINS": "mitmachen.example"},
            "CSRF_TRUSTED_ORIGINS must be a URL starting with https://.",
        ),
        (
            {"DATABASE_URL": "postgress://db/mitmachen"},
            "DATABASE_URL is not a database URL (postgres://user:password@host:5432/name).",
        ),
        (
            {"REDIS_URL": "redis:6379"},
            "REDIS_URL must be a URL starting with redis or rediss or unix://.",
        ),
        (
            {"REDIS_URL": None, "CACHE_URL": "redis://redis:6379/1"},
            "CELERY_BROKER_URL must be set too (or REDIS_URL for cache and broker alike).",
        ),
        (
            {"REDIS_URL": None},
            "REDIS_URL must be set (or both CACHE_URL and CELERY_BROKER_URL).",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 random characters."),
        (
            {"DEFAULT_FROM_EMAIL": "Mitmachen"},
            "DEFAULT_FROM_EMAIL must be an address (Mitmachen <mitmachen@stadt.example>).",
        ),
        ({"DEBUG": "true"}, "DEBUG must not be on in production."),
    ],
)
def test_production_refuses_a_malformed_setting_with_one_line_naming_it(change, line):
    environment = {**PROD_ENV, **change}
    result = load_prod({key: value for key, value in environment.items() if value is not None})

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == REFUSED + line


def test_a_local_mail_relay_is_allowed_when_asked_for():
    result = load_prod({**PROD_ENV, "SMTP_HOST": "localhost", "SMTP_ALLOW_LOCAL": "true"})

    assert result.returncode == 0, result.stderr


def test_separate_cache_and_broker_urls_replace_redis_url():
    environment = {key: value for key, value in PROD_ENV.items() if key != "REDIS_URL"}
    result = load_prod(
        {
            **environment,
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        }
    )

    assert result.returncode == 0, result.stderr
