"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from halle_smartcity import logs
from halle_smartcity.city import city_read
from halle_smartcity.logs import logging_config
from halle_smartcity.object_storage import image_origins, media_storage
from halle_smartcity.sentry import sentry_init

from .environment import (  # noqa: F401 (prod.py and dev.py import them from here)
    env,
    env_bool,
    env_choice,
    env_floats,
    env_int,
    env_ints,
    env_list,
    require,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("SECRET_KEY", "insecure-development-key-never-use-in-production")
# Earlier keys, comma-separated, still accepted for signed values while SECRET_KEY is rotated:
# sessions and the unsubscribe links in mails already sent stay valid (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_prometheus",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # Platform: no domain app is imported by these (see ARCHITECTURE.md).
    "audit",
    "accounts",
    "notices",
    "pages",
    # Core.
    "fields",
    "ideas",
    "discussion",
    # Process.
    "events",
    "review",
    "measures",
    "board",
    # Interfaces and the site.
    "api",
    "demo",
    "cities",
    "halle_smartcity",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "halle_smartcity.middleware.RequestIdMiddleware",
    # /healthz/, /readyz/ and /metrics/: before the host check and the HTTPS redirect.
    "halle_smartcity.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "halle_smartcity.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API responses; after WhiteNoise, which serves static files precompressed.
    # Django pads compressed responses against BREACH (Heal The Breach).
    "django.middleware.gzip.GZipMiddleware",
    # Before CommonMiddleware, so that preflight requests to the open-data API are answered.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "halle_smartcity.middleware.StaffTwoFactorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "halle_smartcity.urls"
WSGI_APPLICATION = "halle_smartcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "halle_smartcity.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "halle_smartcity.forms.KernFormRenderer"

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL; without it the embedded default is SQLite.
try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database URL (postgres://user:password@host:5432/name)."
    ) from error
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # The embedded default has the web process and run_scheduled writing at once. WAL lets
    # readers and one writer work side by side; IMMEDIATE takes the write lock when a
    # transaction begins, so a busy file makes it wait (up to the timeout) instead of failing
    # at once with "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_floats("SQLITE_TIMEOUT", "20", 1)[0],
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
# The cache (pages, counts, rate limits) and the broker (queued tasks) are separate settings:
# best two Redis databases or instances, the broker's with `maxmemory-policy noeviction` (an
# evicted task is lost), the cache's with an LRU policy. REDIS_URL serves both if they are
# not given.
REDIS_URL = env("REDIS_URL")
CACHE_URL = env("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            # Fails open (halle_smartcity/cache_backend.py): with Redis down, pages render
            # from PostgreSQL, forms are saved, rate limits are not enforced, and a warning
            # is logged. Short timeouts: a dead Redis costs milliseconds per request.
            "BACKEND": "halle_smartcity.cache_backend.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "mitmachen",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # A counter that cannot be read does not block (see cache_backend.py).
    RATELIMIT_FAIL_OPEN = True
else:
    # Embedded default: one process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
if CELERY_BROKER_URL:
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded default: tasks run in-process.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Berlin"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")
# A submission must not hang on a broker that is down: the outbox sends later. Without
# max_retries kombu keeps reconnecting for seconds before a queued task gives up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# run_scheduled (the embedded default) runs these in this order: plans before the sweep.
CELERY_BEAT_SCHEDULE = {
    "calls-notices-plan": {"task": "ideas.tasks.calls_notices_plan", "schedule": 300.0},
    "image-thumbnails-missing": {
        "task": "ideas.tasks.image_thumbnails_missing",
        "schedule": 300.0,
    },
    "shortlists-notices-plan": {
        "task": "board.tasks.shortlists_notices_plan",
        "schedule": 300.0,
    },
    "events-reminders": {"task": "events.tasks.event_reminders_plan", "schedule": 300.0},
    "review-digest": {"task": "review.tasks.digest_plan", "schedule": crontab(hour=7, minute=0)},
    "discussion-digests": {
        "task": "discussion.tasks.comment_digests_plan",
        "schedule": crontab(hour=7, minute=15),
    },
    "personal-data-purge": {
        "task": "accounts.tasks.personal_data_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    "notices-sweep": {"task": "notices.tasks.notices_sweep", "schedule": 60.0},
    "counts-refresh": {"task": "ideas.tasks.counts_refresh", "schedule": 60.0},
    "idea-terms-missing": {"task": "ideas.tasks.idea_terms_missing", "schedule": 60.0},
    "themes-refresh": {"task": "review.tasks.themes_refresh", "schedule": crontab(minute=17)},
}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "ideas:my-ideas"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# Two-factor login (TOTP and recovery codes); staff must use it where this is on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mitmachen"
MITMACHEN_STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA", False)
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mitmachen] "
# allauth's own limits (login failures, sign-ups, mails); they need a shared cache in production.
ACCOUNT_RATE_LIMITS = {
    # Failed logins per address; per address and account together (so that failures from
    # elsewhere never lock the owner out); and, slower, per account from anywhere. A password
    # reset lifts the account's limits (accounts/adapter.py).
    "login_failed": "10/m/ip",
    "login_failed_address_account": "5/5m/key",
    "login_failed_account": "30/h/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}

# --- Sessions and security ------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded images: on S3-compatible object storage when S3_BUCKET is set, else in MEDIA_ROOT
# (the embedded default). Either way they are served by ideas.image_views only, which checks
# that the visitor may see the idea: nothing may serve MEDIA_ROOT or the bucket directly.
STORAGES = {
    "default": media_storage(
        bucket=env("S3_BUCKET"),
        endpoint_url=env("S3_ENDPOINT_URL"),
        access_key=env("S3_ACCESS_KEY_ID"),
        secret_key=env("S3_SECRET_ACCESS_KEY"),
        region=env("S3_REGION"),
        addressing_style=env("S3_ADDRESSING_STYLE"),
        url_expiry=env_int("S3_URL_EXPIRY", 300),
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: the form checks each image; these caps stop a request before it is read whole.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
MITMACHEN_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MITMACHEN_MAX_IMAGE_PIXELS = 40_000_000
MITMACHEN_MAX_IMAGES = 5
MITMACHEN_MAX_REQUEST_BYTES = MITMACHEN_MAX_IMAGES * MITMACHEN_MAX_UPLOAD_BYTES + 1_000_000
# Far more files than an idea may have are refused by Django before any is read; a few too
# many get the form's own message, still before any is decoded.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * MITMACHEN_MAX_IMAGES

# --- The city -------------------------------------------------------------------------------
# The folder describing the city (names, contact, map, branding, vocabularies; see
# docs/neue-stadt.md). `manage.py load_city` loads its vocabularies into the database; names,
# map, branding and the mail sender are read from it by the running site (halle_smartcity.city).
# A relative path is taken from the project's directory (/app in the image).
CITY_DIR = BASE_DIR / env("CITY_DIR", "cities/halle")
_city = city_read(CITY_DIR)

# --- Mail -----------------------------------------------------------------------------------
# The city folder's sender unless DEFAULT_FROM_EMAIL is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", _city.sender or "Mitmachen <mitmachen@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("SMTP_HOST"),
                "port": env_int("SMTP_PORT", 25, minimum=1),
                "username": env("SMTP_USER", ""),
                "password": env("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_STARTTLS", False),
                "timeout": 10,
            },
        }
    }
else:
    # Embedded default: mail is printed to the console.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- The product ----------------------------------------------------------------------------
# Empty: the city folder's names (halle_smartcity.city.site_name, city_name).
MITMACHEN_SITE_NAME = env("SITE_NAME", "")
MITMACHEN_CITY_NAME = env("CITY_NAME", "")
MITMACHEN_QUARTERS_FILE = Path(env("QUARTERS_FILE", str(CITY_DIR / "quarters.csv")))
# Consents record the privacy notice they were given to: the moment the editors last changed
# it (pages.selectors.privacy_notice_version); this value only while no notice is stored.
MITMACHEN_PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", "2022-11")
# Retention of personal data (GDPR art. 5(1)(e)), purged nightly by accounts.tasks:
# analog submitters' contact data, counted from the call's deadline or the published feedback,
# whichever is later; unsubscribed or never confirmed subscriptions; event registrations,
# counted from the event's end (anonymised, the numbers stay).
MITMACHEN_ANALOG_DATA_RETENTION_DAYS = env_int("ANALOG_DATA_RETENTION_DAYS", 365)
MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS = env_int("UNSUBSCRIBED_RETENTION_DAYS", 30)
MITMACHEN_EVENT_DATA_RETENTION_DAYS = env_int("EVENT_DATA_RETENTION_DAYS", 180)
# Downloads of all one's data, per account (django-ratelimit rate).
MITMACHEN_DATA_EXPORT_RATE = env("DATA_EXPORT_RATE", "10/h")
# Deadline reminders, in days before the current deadline.
MITMACHEN_REMINDER_DAYS = env_ints("REMINDER_DAYS", "7,1")
MITMACHEN_NOTICE_MAX_ATTEMPTS = env_int("NOTICE_MAX_ATTEMPTS", 5, minimum=1)
# django-ratelimit rates for idea writes, per user.
MITMACHEN_IDEA_WRITE_RATE = env("IDEA_WRITE_RATE", "30/h")
# The public discussion's rates, each per account and per address (django-ratelimit).
MITMACHEN_SUPPORT_RATE = env("SUPPORT_RATE", "60/h")
MITMACHEN_COMMENT_RATE = env("COMMENT_RATE", "20/h")
MITMACHEN_REPORT_RATE = env("REPORT_RATE", "10/h")
# The discussion's time trap: a form sent back sooner than this after it was shown is refused.
MITMACHEN_FORM_MIN_SECONDS = env_int("FORM_MIN_SECONDS", 3)
RATELIMIT_VIEW = "halle_smartcity.views.rate_limited"
# Anonymous visitors' copies of home, list and detail pages; changes invalidate them at once.
# The map's covering index (ideas/0023) names columns SQLite ignores; PostgreSQL uses them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
MITMACHEN_PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Parts shared by many pages (an idea's card, its JSON, the list's filter form), invalidated
# with what they show; kept when the page cache is off. 0 turns them off (page_cache.py).
# An hour: what was shown within it stays in the cache (bounded by the traffic, not the ideas).
MITMACHEN_FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 3600)
# Behind N reverse proxies the client address is the Nth from the right in X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "halle_smartcity.views.client_ip"

# --- The map --------------------------------------------------------------------------------
# Map tiles: a URL template for Leaflet ({z}/{x}/{y}); the folder's empty `tiles.url` means no
# tiles (markers and quarter boundaries on a plain background). Tiles from another host load
# only after the visitor agrees. Every map setting left unset or empty comes from the city
# folder's map.yaml (halle_smartcity.city).
MITMACHEN_MAP_TILE_URL = env("MAP_TILE_URL")
MITMACHEN_MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION")
# Latitude, longitude of the map's centre.
MITMACHEN_MAP_CENTER = env_floats("MAP_CENTER", "", 2) if env("MAP_CENTER") else None
# The city's bounding box: west, south, east, north. Locations outside it are refused.
MITMACHEN_MAP_BOUNDS = env_floats("MAP_BOUNDS", "", 4) if env("MAP_BOUNDS") else None
# A GeoJSON FeatureCollection of the quarters' boundaries, each feature with the quarter's
# official `code` in its properties. Optional: without it the map shows no boundaries.
# Unset: the city folder's boundaries.geojson (fields.boundaries.boundaries_path).
MITMACHEN_QUARTER_BOUNDARIES = (
    Path(env("QUARTER_BOUNDARIES_FILE")) if env("QUARTER_BOUNDARIES_FILE") else None
)

# --- Content Security Policy ----------------------------------------------------------------
# Everything comes from our own host; the exceptions are the map tile server, which the
# browser contacts only after the visitor agrees, and the object store's signed image URLs.
# Inline style attributes stay allowed (a field's colour is passed as a CSS variable); inline
# scripts and styles elements do not.
_tiles = urlsplit(
    (_city.tile_url if MITMACHEN_MAP_TILE_URL is None else MITMACHEN_MAP_TILE_URL).replace(
        "{s}", "*"
    )
)
_tile_origin = [f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *_tile_origin, *image_origins(STORAGES["default"])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Open-data API (api/) ---------------------------------------------------------------------
# Requests per client address ("120/min", "5000/h"); API_RATE="" switches the limit off.
# Counted in the default cache (Redis in production, shared by all web processes).
MITMACHEN_API_RATE = os.environ.get("API_RATE", "120/min").strip() or None
REST_FRAMEWORK = {
    # Read-only and without login: no sessions, no CSRF, every client is anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatParameterNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.base.exception_handler",
    # `format` (json, csv, geojson) is read by the views themselves, with German errors.
    "URL_FORMAT_OVERRIDE": None,
    "UNICODE_JSON": True,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mitmachen – Open Data API",
    "DESCRIPTION": "Published project ideas, calls, action fields, quarters, measures and "
    "events, without personal data. Licence: CC BY 4.0.",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Ideas and measures both have a "status": each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "IdeaStatusEnum": "ideas.models.Status",
        "MeasureStatusEnum": "measures.models.MeasureStatus",
    },
}
# Anyone may read the API from a browser script on another site; nothing else crosses.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "Content-Disposition"]

# --- Logs, errors, metrics ------------------------------------------------------------------
# Logs on stdout: LOG_FORMAT=json (one object per line, production's default) or text.
LOGGING = logging_config(
    fmt=env_choice("LOG_FORMAT", "text", logs.FORMATS),
    level=env_choice("LOG_LEVEL", "INFO", logs.LEVELS),
)
# The Celery worker logs through the same configuration instead of its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Errors to Sentry or GlitchTip, without personal data (halle_smartcity/sentry.py).
if env("SENTRY_DSN"):
    sentry_init(env("SENTRY_DSN"))
# Prometheus metrics at /metrics/ for a scraper presenting this bearer token; unset: no
# /metrics/ at all.
MITMACHEN_METRICS_TOKEN = env("METRICS_TOKEN", "")
MITMACHEN_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
