"""Rate limits the apps share (django-ratelimit, counted in the shared cache)."""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def _write_rate(group, request) -> str:
    # Read per request, so the city can tune it without a code change.
    return settings.MITMACHEN_IDEA_WRITE_RATE


# For views where citizens and staff write: ideas, assessments, recommendations.
write_limit = ratelimit(key="user_or_ip", rate=_write_rate, method="POST", block=True)
