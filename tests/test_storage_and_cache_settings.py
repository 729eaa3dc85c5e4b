"""S3_* variables choose the storage of uploads in every environment; CACHE_URL and
CELERY_BROKER_URL (falling back to REDIS_URL) the cache and the broker (settings/base.py)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from halle_smartcity.object_storage import media_storage
from tests.settings_process import PROD_ENV, run_with_settings

PRINT = (
    "import json; from django.conf import settings as s; "
    "o = s.STORAGES['default'].get('OPTIONS', {}); "
    "print(json.dumps({'backend': s.STORAGES['default']['BACKEND'], "
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'img': s.SECURE_CSP['img-src'], "
    "'options': {k: v for k, v in o.items() if k != 'client_config'}, "
    "'style': o['client_config'].s3['addressing_style'] if o else None, "
    "'cache': s.CACHES['default'], 'broker': s.CELERY_BROKER_URL, "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER}))"
)


def load(module: str, env: dict[str, str]) -> dict:
    result = run_with_settings(module, env, PRINT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_keeps_uploads_on_the_file_system_without_a_bucket():
    loaded = load("prod", PROD_ENV)
    assert loaded["backend"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_with_a_bucket_stores_private_objects_with_signed_urls():
    loaded = load(
        "prod",
        {
            **PROD_ENV,
            "S3_BUCKET": "mitmachen-bilder",
            "S3_ENDPOINT_URL": "https://s3.halle.example:9000",
            "S3_ACCESS_KEY_ID": "zugang",
            "S3_SECRET_ACCESS_KEY": "geheim",
            "S3_REGION": "eu-central-1",
            "S3_URL_EXPIRY": "120",
        },
    )
    assert loaded["backend"] == "storages.backends.s3.S3Storage"
    assert loaded["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    options = loaded["options"]
    assert options["bucket_name"] == "mitmachen-bilder"
    assert options["endpoint_url"] == "https://s3.halle.example:9000"
    assert (options["access_key"], options["secret_key"]) == ("zugang", "geheim")
    assert options["region_name"] == "eu-central-1"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 120
    assert options["file_overwrite"] is False
    assert loaded["style"] == "path"  # not AWS: no bucket subdomains
    # The browser follows the image view's redirect there: the CSP must allow it.
    assert "https://s3.halle.example:9000" in loaded["img"]


def test_development_uses_a_bucket_too_when_one_is_named():
    loaded = load("dev", {"S3_BUCKET": "bilder", "S3_ADDRESSING_STYLE": "virtual"})
    assert loaded["backend"] == "storages.backends.s3.S3Storage"
    assert loaded["style"] == "virtual"
    assert "https://*.amazonaws.com" in loaded["img"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"addressing_style": "sideways"}, "S3_ADDRESSING_STYLE must be one of"),
        ({"url_expiry": 0}, "S3_URL_EXPIRY must be a positive"),
        ({"endpoint_url": "minio:9000"}, "S3_ENDPOINT_URL must be a full URL"),
    ],
)
def test_malformed_object_storage_settings_name_the_variable(options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage(bucket="bilder", **options)


def test_a_malformed_expiry_stops_the_start_naming_the_variable():
    result = run_with_settings("dev", {"S3_BUCKET": "bilder", "S3_URL_EXPIRY": "fünf Minuten"})
    assert result.returncode != 0
    assert "S3_URL_EXPIRY must be a whole number" in result.stderr


def test_cache_and_broker_are_separate_settings_falling_back_to_redis_url():
    shared = load("prod", PROD_ENV)
    assert shared["cache"]["LOCATION"] == shared["broker"] == PROD_ENV["REDIS_URL"]
    apart = load(
        "prod",
        {
            **PROD_ENV,
            "CACHE_URL": "redis://cache.intern:6379/0",
            "CELERY_BROKER_URL": "redis://broker.intern:6379/0",
        },
    )
    assert apart["cache"]["LOCATION"] == "redis://cache.intern:6379/0"
    assert apart["broker"] == "redis://broker.intern:6379/0"
    assert apart["eager"] is False
    # The cache fails open, quickly.
    assert apart["cache"]["BACKEND"] == "halle_smartcity.cache_backend.FailOpenRedisCache"
    assert apart["cache"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert apart["cache"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 0.5


def test_the_embedded_default_needs_no_redis():
    loaded = load("dev", {})
    assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["broker"] == "memory://"
    assert loaded["eager"] is True
