import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROD_ENV = {
    "SECRET_KEY": "t3st-Secret-For-The-Prod-Settings-0123456789-abcdefghij",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/mitmachen",
    "ALLOWED_HOSTS": "mitmachen.example",
    "SMTP_HOST": "mail.example",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "SITE_URL": "https://mitmachen.example",
    "DEFAULT_FROM_EMAIL": "mitmachen@mitmachen.example",
}


def load_prod(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PROD_ENV, "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.prod"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
    clean = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PROD_ENV, "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.prod"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_needs_no_services():
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.MAILERS['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.dev"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]
