"""Where uploaded images live: the file system (the embedded default) or an S3-compatible
object store (the city's S3, MinIO, SeaweedFS, Garage, Ceph RGW) through django-storages.

The settings call `media_storage` once; nothing here imports Django's models. Objects stay
private: browsers reach them only through the image view (`ideas.image_views`), which checks
who may see the idea and then streams the file or redirects to a short-lived signed URL."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
ADDRESSING_STYLES = ("path", "virtual", "auto")


def media_storage(
    *,
    bucket: str | None,
    endpoint_url: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    region: str | None = None,
    addressing_style: str | None = None,
    url_expiry: int = 300,
) -> dict:
    """The `STORAGES["default"]` entry: S3 when a bucket is named, else the file system.

    Without keys boto3 looks for credentials the usual way (AWS_* variables, an instance or
    pod role)."""
    if not bucket:
        return dict(FILE_SYSTEM)
    # Stores other than AWS (MinIO, SeaweedFS, Garage, Ceph) rarely serve bucket subdomains.
    style = addressing_style or ("path" if endpoint_url else "virtual")
    if style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}, not {style!r}."
        )
    if url_expiry < 1:
        raise ImproperlyConfigured("S3_URL_EXPIRY must be a positive number of seconds.")
    if endpoint_url and not urlsplit(endpoint_url).netloc:
        raise ImproperlyConfigured(
            f"S3_ENDPOINT_URL must be a full URL such as https://s3.example.org, not "
            f"{endpoint_url!r}."
        )
    from botocore.config import Config  # only where S3 is used

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or None,
            # Private objects (no ACL means the bucket's, which must not be public); every
            # URL is signed and lives `url_expiry` seconds.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": url_expiry,
            # Keys have a random part (ideas.models.image_path); an existing object is never
            # replaced.
            "file_overwrite": False,
            # A store that does not answer costs an upload seconds, not a minute of retries.
            "client_config": Config(
                s3={"addressing_style": style},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=15,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }


def image_origins(storage: dict) -> list[str]:
    """The origins browsers load images from after the image view's redirect, for the
    Content Security Policy's img-src (a redirect's target is checked too)."""
    options = storage.get("OPTIONS") or {}
    bucket = options.get("bucket_name")
    if not bucket:
        return []
    endpoint = options.get("endpoint_url")
    if not endpoint:
        return ["https://*.amazonaws.com"]
    parts = urlsplit(endpoint)
    style = options["client_config"].s3["addressing_style"]
    origins = []
    if style in ("path", "auto"):
        origins.append(f"{parts.scheme}://{parts.netloc}")
    if style in ("virtual", "auto"):
        origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
    return origins


def is_local(storage) -> bool:
    """Whether the storage keeps files on this host's file system (then Django streams them;
    otherwise the browser is sent to a signed URL)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True
