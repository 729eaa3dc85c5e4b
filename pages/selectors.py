from django.conf import settings
from django.utils import timezone

from .models import Page, Slug


def privacy_notice_version() -> str:
    """Which privacy notice a consent refers to: the moment its text last changed (Berlin time),
    so a consent can be matched to the text the person saw. Before the page exists, the
    configured version."""
    changed = Page.objects.filter(slug=Slug.PRIVACY).values_list("updated_at", flat=True).first()
    if changed is None:
        return settings.MITMACHEN_PRIVACY_NOTICE_VERSION
    return timezone.localtime(changed).strftime("%Y-%m-%dT%H:%M")
