"""A paginator for lists that may hold 100,000 rows: the total is counted at most up to a cap
(`count_cap`) and cached until one of the list's page-cache tags changes.

A list filtered to one quarter keeps its cached total when an idea in another quarter
changes; the number is exact up to the cap, and above it the list says "more than ..."
(or, for the list of all ideas, shows the stored counts with their time)."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .page_cache import IDEAS, SITE, request_tag_versions

# Totals are stale with their tags; the timeout only bounds what an evicted tag could leave.
COUNT_SECONDS = 600


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached under the versions of `tags` (those of the page that
    shows it). With `count_cap`, at most `count_cap + 1` rows are counted: `count` is then at
    most the cap (so are the pages) and `capped` says there are more."""

    def __init__(self, object_list, per_page, *, tags=(SITE, IDEAS), count_cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.tags = tuple(tags)
        self.count_cap = count_cap
        self.counted_at = None  # set with `use_total` when the total comes from stored counts

    @cached_property
    def _counted(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        versions = request_tag_versions(self.tags)
        fingerprint = repr(sorted(versions.items())) + f"|{self.count_cap}|{query}"
        key = "count:" + hashlib.sha256(fingerprint.encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            if self.count_cap is None:
                value = self.object_list.count()
            else:
                # COUNT over a LIMIT: the database stops after cap + 1 rows.
                value = self.object_list.order_by()[: self.count_cap + 1].count()
            cache.set(key, value, COUNT_SECONDS)
        return value

    @cached_property
    def count(self) -> int:
        if self.count_cap is None:
            return self._counted
        return min(self._counted, self.count_cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: `count` is the cap, not the total."""
        return self.count_cap is not None and self._counted > self.count_cap

    def use_total(self, total: int, counted_at) -> None:
        """Page over a total known from elsewhere (the stored counts, with their time)."""
        self.__dict__["count"] = total
        self.__dict__["_counted"] = total
        self.count_cap = None
        self.counted_at = counted_at
        self.__dict__.pop("num_pages", None)
