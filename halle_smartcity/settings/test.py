"""Tests run against PostgreSQL (DATABASE_URL, defaulting to the local server)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mitmachen")

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Tests use the in-memory cache unless they need Redis and ask for it themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_USE_FINDERS = True
# Generous for the suite; tests of the limit itself set their own rate.
MITMACHEN_API_RATE = "10000/min"
