from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from halle_smartcity.views import client_ip


class ApiRateThrottle(SimpleRateThrottle):
    """Requests per client address, counted in the default cache (Redis in production, so
    every web process shares the count). The rate is read per request, so tests and the city
    can change it without a code change."""

    scope = "api"

    def get_rate(self):
        return settings.MITMACHEN_API_RATE or None

    def get_cache_key(self, request, view):
        # The same client address as the site's other rate limits (trusted proxies).
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}
