"""Production: refuses to start without its secrets and hosts, or with a malformed value, with
one line naming the variable (ImproperlyConfigured)."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from halle_smartcity import logs
from halle_smartcity.logs import logging_config

from .base import *  # noqa: F403
from .base import (
    SILENCED_SYSTEM_CHECKS,
    env,
    env_bool,
    env_choice,
    env_int,
    env_list,
    require,
)


def refuse(name: str, problem: str) -> None:
    raise ImproperlyConfigured(f"{name} {problem}")


def require_url(name: str, schemes: set[str], value: str | None = None) -> str:
    value = value if value is not None else require(name)
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.path if parts.scheme == "unix" else parts.netloc):
        refuse(name, f"must be a URL starting with {' or '.join(sorted(schemes))}://.")
    return value


# --- Secrets and hosts ----------------------------------------------------------------------
SECRET_KEY = require("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    refuse("SECRET_KEY", "must be at least 50 random characters.")
require("DATABASE_URL")  # base.py parses it; without it production would use SQLite
# A shared cache (rate limits, the page cache) and the Celery broker; REDIS_URL serves as both
# unless CACHE_URL and CELERY_BROKER_URL name their own.
if not (env("REDIS_URL") or env("CACHE_URL") or env("CELERY_BROKER_URL")):
    refuse("REDIS_URL", "must be set (or both CACHE_URL and CELERY_BROKER_URL).")
for _name in ("CACHE_URL", "CELERY_BROKER_URL"):
    if not env(_name, env("REDIS_URL")):  # the other one is set, so this is the missing one
        refuse(_name, "must be set too (or REDIS_URL for cache and broker alike).")
for _name in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"):
    if env(_name):
        require_url(_name, {"redis", "rediss", "unix"})
MITMACHEN_SITE_URL = require_url("SITE_URL", {"https"})  # links in mails
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require("ALLOWED_HOSTS")]
if any("/" in host or host == "*" for host in ALLOWED_HOSTS):
    refuse("ALLOWED_HOSTS", "must list host names (ideen.stadt.de), without scheme or '*'.")
for _origin in env_list("CSRF_TRUSTED_ORIGINS"):
    require_url("CSRF_TRUSTED_ORIGINS", {"https"}, _origin)
DEBUG = False
if env_bool("DEBUG", False):
    refuse("DEBUG", "must not be on in production.")
MITMACHEN_STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA", True)

# Uploads as base.py chose them (S3_BUCKET or MEDIA_ROOT); static files hashed and compressed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# HSTS preload is a commitment the city makes on its own (SECURE_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

# --- Mail: no silent default ----------------------------------------------------------------
# base.py builds MAILERS from SMTP_*; without a host mail would go to the console.
_smtp_host = require("SMTP_HOST")
if _smtp_host.lower() in {"localhost", "127.0.0.1", "::1"} and not env_bool("SMTP_ALLOW_LOCAL"):
    refuse(
        "SMTP_HOST",
        f"is {_smtp_host!r}: in a container that is nobody. Name the mail server "
        "(or set SMTP_ALLOW_LOCAL=true for a relay on the same host).",
    )
try:
    validate_email(parseaddr(require("DEFAULT_FROM_EMAIL"))[1])
except ValidationError:
    refuse("DEFAULT_FROM_EMAIL", "must be an address (Mitmachen <mitmachen@stadt.example>).")

# --- Logs and metrics -----------------------------------------------------------------------
LOGGING = logging_config(
    fmt=env_choice("LOG_FORMAT", "json", logs.FORMATS),
    level=env_choice("LOG_LEVEL", "INFO", logs.LEVELS),
)
if env("METRICS_TOKEN") and len(env("METRICS_TOKEN")) < 24:
    refuse("METRICS_TOKEN", "must be at least 24 random characters (or unset: no /metrics/).")
