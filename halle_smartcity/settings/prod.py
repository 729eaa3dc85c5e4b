"""Production: refuses to start without its secrets and hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list, require

SECRET_KEY = require("SECRET_KEY")
require("DATABASE_URL")
for _name in ("CACHE_URL", "CELERY_BROKER_URL"):
    # A shared cache for rate limits and the page cache; the Celery broker.
    if not env(_name, env("REDIS_URL")):
        raise ImproperlyConfigured(
            f"The environment variable {_name} (or REDIS_URL for cache and broker) must be set."
        )
require("SITE_URL")  # links in mails
require("DEFAULT_FROM_EMAIL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require("ALLOWED_HOSTS")]
DEBUG = False
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
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

require("SMTP_HOST")  # production mail goes out by SMTP; base.py builds MAILERS from it
# HSTS preload is a commitment the city makes on its own (SECURE_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
