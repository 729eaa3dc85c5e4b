import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached for a short while: a list of 100,000 ideas need not
    be counted on every request, and a total that lags a minute behind harms nobody. The
    page itself is always read fresh."""

    timeout = 60

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        key = "count:" + hashlib.sha256(str(query).encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, self.timeout)
        return value
