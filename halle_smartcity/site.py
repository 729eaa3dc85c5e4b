"""The site's own address, for links that leave it (mails, calendar files, downloads)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """A path of this site as a full link (SITE_URL); a full link stays as it is."""
    return path if "://" in path else settings.MITMACHEN_SITE_URL.rstrip("/") + path
