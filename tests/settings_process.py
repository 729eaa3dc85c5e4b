"""Settings loaded in a fresh Python process, as a server starts them: what the environment
chooses, and what production refuses. The caller's own environment is scrubbed of every
variable these tests set, so a developer's shell cannot make them pass or fail."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What production needs to start (and nothing more).
PROD_ENV = {
    "SECRET_KEY": "t3st-Secret-For-The-Prod-Settings-0123456789-abcdefghij",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/mitmachen",
    "ALLOWED_HOSTS": "mitmachen.example",
    "SMTP_HOST": "mail.example",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "SITE_URL": "https://mitmachen.example",
    "DEFAULT_FROM_EMAIL": "mitmachen@mitmachen.example",
}

SCRUBBED = {
    *PROD_ENV,
    "DJANGO_SETTINGS_MODULE",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "SMTP_PORT",
    "SMTP_STARTTLS",
    "SMTP_ALLOW_LOCAL",
    "TRUSTED_PROXY_COUNT",
    "REMINDER_DAYS",
    "CSRF_TRUSTED_ORIGINS",
    "SECRET_KEY_FALLBACKS",
    "LOG_FORMAT",
    "LOG_LEVEL",
}
SCRUBBED_PREFIXES = ("S3_", "SENTRY_", "METRICS_")


def run_with_settings(
    module: str, env: dict[str, str], code: str = "", *, setup: bool = True, argv=None
) -> subprocess.CompletedProcess:
    """Run `code` (after `django.setup()` unless `setup` is off) or `argv` under
    `halle_smartcity.settings.<module>` with `env` on top of the scrubbed environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in SCRUBBED and not key.startswith(SCRUBBED_PREFIXES)
    }
    script = f"import django; django.setup()\n{code}" if setup else code
    return subprocess.run(
        argv or [sys.executable, "-c", script],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": f"halle_smartcity.settings.{module}"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def load_prod(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Start production's settings with `env`; prints "started" when they load."""
    return run_with_settings("prod", env, "print('started')")
