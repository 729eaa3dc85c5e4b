"""Counts of published ideas kept in `CountSnapshot` rows, so that the home page, the
statistics page and the open-data API never count all ideas inside a request.

`counts_refresh` recomputes every scope (each published call, and all of them) in seven
queries, one pass over the ideas each, whatever the number of calls; Celery beat runs it every
minute (`run_scheduled` where there is no beat). Readers take the stored rows and show their
time ("Stand: ..."), so a change shows within a minute. Recomputing as a whole,
rather than adjusting counters in every service that touches an idea, keeps the numbers
right by construction: no change can forget to adjust a counter.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from halle_smartcity.page_cache import IDEAS, tags_bump

from .models import Call, CountSnapshot, Idea

logger = logging.getLogger(__name__)

CALL_TZ = ZoneInfo(settings.TIME_ZONE)
ALL = "all"
REFRESH_LOCK = "counts:refresh"


def scope_of(call: Call | None) -> str:
    return ALL if call is None else f"call:{call.pk}"


def day_expression():
    # Ideas that came on paper, by post, by phone or at an event were entered later: the day
    # they arrived is when they were submitted.
    return Coalesce("received_on", TruncDate("submitted_at", tzinfo=CALL_TZ))


def _empty() -> dict:
    return {
        "total": 0,
        "whole_city": 0,
        "no_quarter": 0,
        "no_field": 0,
        "fields": {},
        "quarters": {},
        "statuses": {},
        "channels": {},
        "days": {},
        # The public discussion's columns on the ideas (written by the discussion app).
        "supports": 0,
        "comments": 0,
        "threshold_reached": 0,
    }


# The counts of all calls are the sums of each call's.
SUMMED = (
    "total",
    "whole_city",
    "no_quarter",
    "no_field",
    "supports",
    "comments",
    "threshold_reached",
)


def _add(counts: dict, key: str, value: int) -> None:
    counts[key] = counts.get(key, 0) + value


def counts_compute() -> dict[str, dict]:
    """The counts of every published call (by scope) and of all of them together. Eight
    queries (seven grouped by call, one for the published calls). Keys of the inner dicts
    are strings (JSON)."""
    ideas = Idea.objects.published()
    per_call: dict[int, dict] = defaultdict(_empty)
    for call_id, total, whole_city, supports, comments, reached in (
        ideas.values_list("call_id")
        .annotate(
            total=Count("id"),
            whole_city=Count("id", filter=Q(whole_city=True)),
            supports=Coalesce(Sum("support_count"), 0),
            comments=Coalesce(Sum("comment_count"), 0),
            reached=Count("id", filter=Q(support_threshold_reached_at__isnull=False)),
        )
        .order_by()
    ):
        per_call[call_id].update(
            total=total,
            whole_city=whole_city,
            supports=supports,
            comments=comments,
            threshold_reached=reached,
        )
    # Anti-joins of their own: inside the aggregate above the EXISTS would run once per idea.
    has_quarter = Exists(Idea.quarters.through.objects.filter(idea=OuterRef("pk")))
    for call_id, number in (
        ideas.filter(~has_quarter, whole_city=False)
        .values_list("call_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_call[call_id]["no_quarter"] = number
    has_field = Exists(Idea.action_fields.through.objects.filter(idea=OuterRef("pk")))
    for call_id, number in (
        ideas.filter(~has_field).values_list("call_id").annotate(n=Count("id")).order_by()
    ):
        per_call[call_id]["no_field"] = number
    for call_id, field_id, number in (
        Idea.action_fields.through.objects.filter(idea__in=ideas)
        .values_list("idea__call_id", "actionfield_id")
        .annotate(n=Count("idea_id"))
        .order_by()
    ):
        per_call[call_id]["fields"][str(field_id)] = number
    for call_id, quarter_id, number in (
        Idea.quarters.through.objects.filter(idea__in=ideas)
        .values_list("idea__call_id", "quarter_id")
        .annotate(n=Count("idea_id"))
        .order_by()
    ):
        per_call[call_id]["quarters"][str(quarter_id)] = number
    for call_id, status, channel, number in (
        ideas.values_list("call_id", "status", "channel").annotate(n=Count("id")).order_by()
    ):
        _add(per_call[call_id]["statuses"], status, number)
        _add(per_call[call_id]["channels"], channel, number)
    for call_id, day, number in (
        ideas.annotate(day=day_expression())
        .values_list("call_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if day is not None:
            _add(per_call[call_id]["days"], day.isoformat(), number)

    result = {ALL: _empty()}
    whole = result[ALL]
    for call_id in Call.objects.published().values_list("pk", flat=True):
        counts = per_call.get(call_id, _empty())
        result[f"call:{call_id}"] = counts
        for key in SUMMED:
            whole[key] += counts[key]
        for key in ("fields", "quarters", "statuses", "channels", "days"):
            for name, number in counts[key].items():
                _add(whole[key], name, number)
    return result


def counts_refresh() -> int:
    """Recompute and store the counts of every scope (see `counts_compute`), dropping the
    rows of calls no longer published; cached pages go stale if a number changed. Returns
    the number of scopes stored."""
    with transaction.atomic():
        # Concurrent refreshes wait for each other, so the later one stores the later counts.
        stored = {row.scope: row for row in CountSnapshot.objects.select_for_update()}
        computed = counts_compute()
        now = timezone.now()
        changed = set(stored) != set(computed)
        for scope, data in computed.items():
            row = stored.get(scope)
            if row is None:
                CountSnapshot.objects.create(scope=scope, data=data, computed_at=now)
                continue
            changed = changed or row.data != data
            row.data, row.computed_at = data, now
            row.save(update_fields=["data", "computed_at"])
        CountSnapshot.objects.exclude(scope__in=list(computed)).delete()
        if changed:
            # The pages showing counts (home, lists, statistics, the API's lists) carry the
            # ideas' tag; an idea's own page shows no count and stays cached.
            transaction.on_commit(lambda: tags_bump(IDEAS))
    return len(computed)


def _claim(key: str, seconds: int) -> bool:
    try:
        return bool(cache.add(key, 1, seconds))
    except Exception:
        logger.warning("counts: cache unavailable, %s left to the periodic task", key)
        return False


def _release(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("counts: cache unavailable, %s not released", key)


@dataclass
class Snapshot:
    data: dict
    computed_at: datetime | None


def counts_read(calls: list[Call | None]) -> dict[str, Snapshot]:
    """The stored counts of these scopes, in one query. A scope never counted yet (right after
    the first deployment, or a call published within the last minute) is computed now, once:
    a lock keeps concurrent requests from doing the same; they show zeros meanwhile."""
    scopes = [scope_of(call) for call in calls]
    found = {
        row.scope: Snapshot(row.data, row.computed_at)
        for row in CountSnapshot.objects.filter(scope__in=scopes)
    }
    missing = [scope for scope in scopes if scope not in found]
    if missing and _claim(REFRESH_LOCK, 60):
        try:
            counts_refresh()
        finally:
            _release(REFRESH_LOCK)
        found.update(
            (row.scope, Snapshot(row.data, row.computed_at))
            for row in CountSnapshot.objects.filter(scope__in=missing)
        )
    return {scope: found.get(scope, Snapshot(_empty(), None)) for scope in scopes}


def counted_days(data: dict) -> dict[date, int]:
    return {date.fromisoformat(day): number for day, number in data["days"].items()}
