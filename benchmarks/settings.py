"""Production settings plus what the benchmark needs, and nothing else.

The harness (benchmarks/run.py) sets DATABASE_URL to its own `bench_*` database and the
BENCH_* paths below; the rest is halle_smartcity.settings.prod as deployed.
"""

import os
from pathlib import Path

# prod refuses to start without these; the benchmark has no real secrets or mail.
for _name, _value in {
    "SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bench_mitmachen",
    "REDIS_URL": "redis://127.0.0.1:6379/13",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "https://127.0.0.1",  # links in mails only; prod insists on https
    "DEFAULT_FROM_EMAIL": "Mitmachen Benchmark <bench@example.org>",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_ALLOW_LOCAL": "true",  # no mail leaves; prod refuses a local host otherwise
}.items():
    os.environ.setdefault(_name, _value)

from halle_smartcity.settings.prod import *  # noqa: E402, F403
from halle_smartcity.settings.prod import BASE_DIR, CACHES, MIDDLEWARE  # noqa: E402

# Plain HTTP on loopback: no redirect to https (cookies stay `Secure`, as in production).
SECURE_SSL_REDIRECT = False

# The two baseline views under /_bench/, then the site's own URLs.
ROOT_URLCONF = "benchmarks.urls"

# Outermost, so it counts every SQL query of the request (sessions, auth, the view).
MIDDLEWARE = ["benchmarks.middleware.QueryCountMiddleware", *MIDDLEWARE]

# collectstatic goes to a temporary folder; uploads are the benchmark's generated images.
_TMP = Path(os.environ.get("BENCH_TMP", BASE_DIR / "benchmarks" / "results" / "tmp"))
# BENCH_STATIC_ROOT: static files collected already (the test suite's, tests/production/stack.py)
# for the same sources, which the smoke run then serves instead of collecting its own.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or _TMP / "static")
MEDIA_ROOT = _TMP / "media"
# The image view streams them from MEDIA_ROOT, so the page-weight check loads the thumbnails
# a visitor would load (wrk never requests them).

# Keep the benchmark's cache keys apart from anything else in the same Redis; without Redis
# (BENCH_CACHE=locmem, set by the harness when it is down) each worker has its own cache.
if os.environ.get("BENCH_CACHE") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif "LOCATION" in CACHES["default"]:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "mitmachen-bench"}}
# wrk is one client sending thousands of requests: the open-data API's limit would answer 429.
MITMACHEN_API_RATE = None
