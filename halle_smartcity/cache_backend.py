"""The shared cache (Redis through django-redis), failing open: while Redis is unreachable
every read is a miss and every write is dropped, so pages render from PostgreSQL and forms
are saved. A warning is logged, at most once a minute per process rather than a traceback
per cache call.

Rate limits while Redis is down: they fail open, deliberately. django-ratelimit, allauth and
the API's throttle count in this cache; refusing every sign-in and submission because the
counter is away would turn a cache outage into a site outage, which is worse than an hour
without limits. `add` therefore answers True while Redis is unreachable: allauth takes it as
its rate-limit lock (it would otherwise wait a second and then refuse the sign-in) and
django-ratelimit as the first hit of a period. The same holds for allauth's mark of a used
TOTP code: during the outage a code could be used twice within its 30 seconds."""

import logging
import math
import sys
import threading
import time

from django_redis.cache import RedisCache, omit_exception

logger = logging.getLogger("halle_smartcity.cache")


class OutageLog:
    """Stands in for django-redis's logger of ignored exceptions: one warning per interval."""

    interval = 60.0

    def __init__(self):
        self._last = -math.inf
        self._lock = threading.Lock()

    def exception(self, *args, **kwargs) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                return
            self._last = now
        error = sys.exc_info()[1]
        cause = getattr(error, "__cause__", None) or error
        logger.warning(
            "The cache (Redis) is unreachable: pages are served without it and rate limits "
            "are not enforced until it is back (%s: %s).",
            type(cause).__name__,
            cause,
        )


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": True}}
        super().__init__(server, params)
        self._log_ignored_exceptions = True
        self.logger = OutageLog()

    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
