import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .page_cache import generation


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached until the ideas change: a list of 100,000 ideas
    need not be counted on every request. The page itself is always read fresh."""

    timeout = 60

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        # The pages' generation in the key: any change of the ideas makes the total stale.
        key = f"count:{generation()}:" + hashlib.sha256(str(query).encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, self.timeout)
        return value
