"""Reads with visibility rules: what may this user see?"""

import copy
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from fields.models import ActionField, Quarter
from halle_smartcity.page_cache import SITE, fragment

from . import counts, permissions, sections
from .models import Call, Idea, IdeaImage


def call_list_public() -> QuerySet[Call]:
    return Call.objects.published().order_by("-opens_at")


def _site_lists() -> dict[str, list]:
    """The published calls (newest first, with their extensions) and the active action fields
    (in their order): a few rows every page with counts needs, cached until one of them
    changes (the `site` tag)."""
    return fragment(
        "site-lists",
        [],
        [SITE],
        lambda: {
            "calls": list(call_list_public().prefetch_related("extensions")),
            "fields": list(ActionField.objects.active().order_by("order", "name")),
        },
    )


def calls_published() -> list[Call]:
    return _site_lists()["calls"]


def fields_active() -> list[ActionField]:
    return _site_lists()["fields"]


def call_current() -> Call | None:
    """The call open now; failing that, the one that opens next; failing that, the latest."""
    now = timezone.now()
    calls = calls_published()
    open_now = [call for call in calls if call.opens_at <= now < call.deadline]
    if open_now:
        return min(open_now, key=lambda call: (call.deadline, call.pk))
    coming = [call for call in calls if call.opens_at > now]
    if coming:
        return min(coming, key=lambda call: (call.opens_at, call.pk))
    return max(calls, key=lambda call: (call.deadline, -call.pk), default=None)


# What a list card (ideas/includes/idea_card.html) shows: loading the long texts, the call and
# the author for 20 cards was most of the list's database time and memory.
CARD_FIELDS = (
    "id",
    "reference",
    "title",
    "summary",
    "whole_city",
    "submitted_at",
    "status",
    "support_count",
    "comment_count",
    "support_threshold_reached_at",
    "primary_field__id",
    "primary_field__name",
    "primary_field__name_en",
    "primary_field__colour",
)


def idea_list_public() -> QuerySet[Idea]:
    """Published ideas with what a list card shows, in a fixed number of queries."""
    return (
        Idea.objects.published()
        .select_related("primary_field")
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch("quarters", queryset=Quarter.objects.only("id", "name")),
            Prefetch(
                "images",
                queryset=IdeaImage.objects.only(
                    "id", "idea_id", "thumbnail", "thumbnail_small"
                ).order_by("order", "id"),
            ),
        )
    )


def ideas_total() -> counts.Snapshot:
    """The number of all published ideas from the stored counts (`data["total"]`), with its
    time: for a list too long to count inside a request."""
    return counts.counts_read([None])[counts.ALL]


def idea_detail(*, pk: int, user) -> Idea:
    """The idea with what its page shows, in four queries (the idea with its call, author,
    duplicate and what the sections read of it; its fields; its quarters; its images)."""
    idea = (
        Idea.objects.select_related(
            "primary_field", "call", "author", "duplicate_of__call", *sections.related()
        )
        .prefetch_related(
            "action_fields",
            Prefetch("quarters", queryset=Quarter.objects.select_related("district")),
            "images",
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not permissions.can_view_idea(user, idea):
        # A stranger's draft is as good as absent.
        raise Http404
    return idea


def image_for_viewer(*, pk: int, user) -> IdeaImage:
    """An idea's image, if this user may see the idea (Http404 otherwise: a draft's image is
    as good as absent)."""
    image = IdeaImage.objects.select_related("idea__call").filter(pk=pk).first()
    if image is None or not permissions.can_view_idea_images(user, image.idea):
        raise Http404
    return image


def ideas_of_author(user) -> QuerySet[Idea]:
    return (
        Idea.objects.by_author(user)
        .select_related("call", "primary_field")
        .order_by("-updated_at", "-id")
    )


# What an action field's count means, wherever it is shown (home, call page, statistics, the
# open-data API): every published idea tagged with the field, as the list's `field` filter
# finds them. An idea in several fields counts in each, so the counts can add up to more than
# the number of ideas; the pages say so.


def field_counts(*, call: Call | None = None) -> list[ActionField]:
    """Active action fields with the number of published ideas tagged with each (an idea in
    several fields counts in each), for one call or all published calls, from the stored
    counts (`ideas.counts`, time in `counted_at` of each field). One query."""
    snapshot = counts.counts_read([call])[counts.scope_of(call)]
    # Copies: the cached list is shared within the request.
    fields = [copy.copy(field) for field in fields_active()]
    for field in fields:
        field.idea_count = snapshot.data["fields"].get(str(field.pk), 0)
        field.counted_at = snapshot.computed_at
    return fields


def call_numbers(
    calls: list[Call],
) -> tuple[dict[int, list[tuple[ActionField, int]]], dict[int, int], datetime | None]:
    """Per call, each active action field with its number of published ideas tagged with it
    (as `field_counts`), and the number of published ideas of each call, from the
    stored counts (one query)."""
    snapshots = counts.counts_read(calls)
    fields = fields_active()
    by_field, totals = {}, {}
    for call in calls:
        data = snapshots[counts.scope_of(call)].data
        by_field[call.pk] = [(field, data["fields"].get(str(field.pk), 0)) for field in fields]
        totals[call.pk] = data["total"]
    times = [snapshot.computed_at for snapshot in snapshots.values() if snapshot.computed_at]
    return by_field, totals, min(times, default=None)


def ideas_latest(*, call: Call | None = None, number: int = 3) -> list[Idea]:
    """The latest published ideas (of a call), as list cards read them (three queries)."""
    ideas = idea_list_public()
    if call is not None:
        ideas = ideas.filter(call=call)
    return list(ideas.order_by("-submitted_at", "-id")[:number])


def idea_map_public() -> QuerySet[Idea]:
    """Published ideas with a location, with what a map marker and the list by quarter show
    (two queries: the ideas with their primary field, and their quarters)."""
    return (
        Idea.objects.published()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("primary_field")
        .prefetch_related(
            Prefetch(
                "quarters",
                queryset=Quarter.objects.select_related("district").order_by(
                    "district__order", "name"
                ),
            )
        )
    )
