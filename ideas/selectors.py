"""Reads with visibility rules: what may this user see?"""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fields.models import ActionField, Quarter
from halle_smartcity.page_cache import generation

from . import permissions
from .models import PUBLIC_STATUSES, Call, Idea, IdeaImage


def call_list_public() -> QuerySet[Call]:
    return Call.objects.published().order_by("-opens_at")


def call_current() -> Call | None:
    """The call open now; failing that, the one that opens next; failing that, the latest."""
    now = timezone.now()
    calls = Call.objects.published()
    return (
        calls.open_at(now).order_by("deadline").first()
        or calls.filter(opens_at__gt=now).order_by("opens_at").first()
        or calls.order_by("-deadline").first()
    )


def idea_list_public() -> QuerySet[Idea]:
    """Published ideas with what a list card shows, in a fixed number of queries."""
    return (
        Idea.objects.published()
        .select_related("primary_field", "call", "author")
        .prefetch_related(
            "quarters",
            Prefetch("images", queryset=IdeaImage.objects.order_by("order", "id")),
        )
    )


def idea_detail(*, pk: int, user) -> Idea:
    idea = (
        Idea.objects.select_related("primary_field", "call", "author", "duplicate_of__call")
        .prefetch_related("action_fields", "quarters__district", "images")
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
    several fields counts in each), for one call or all published calls. One query."""
    # Published as in `Idea.objects.published()`: not a draft, and the call is published.
    condition = Q(ideas__status__in=PUBLIC_STATUSES, ideas__call__published=True)
    if call is not None:
        condition &= Q(ideas__call=call)
    return list(
        ActionField.objects.active()
        .annotate(idea_count=Count("ideas", filter=condition))
        # A GROUP BY query ignores Meta.ordering: keep the fields' own order.
        .order_by("order", "name")
    )


def field_counts_by_call(calls: list[Call]) -> dict[int, list[tuple[ActionField, int]]]:
    """Per call, each active action field with its number of published ideas tagged with it
    (as `field_counts`), in two queries whatever the number of calls and ideas."""
    key = f"field-counts:{generation()}:" + ",".join(str(call.pk) for call in calls)
    cached = cache.get(key)
    if cached is not None:
        fields = {field.pk: field for field in ActionField.objects.active()}
        return {
            call_id: [(fields[field_id], count) for field_id, count in rows if field_id in fields]
            for call_id, rows in cached.items()
        }
    rows = (
        Idea.action_fields.through.objects.filter(
            idea__in=Idea.objects.published().filter(call__in=calls)
        )
        .values_list("idea__call_id", "actionfield_id")
        .annotate(count=Count("idea_id"))
        .order_by()
    )
    counts = {(call_id, field_id): count for call_id, field_id, count in rows}
    fields = list(ActionField.objects.active())
    result = {
        call.pk: [(field, counts.get((call.pk, field.pk), 0)) for field in fields]
        for call in calls
    }
    # Counting every idea on every visit of the home page is wasted work: a minute is fresh.
    cache.set(
        key,
        {
            call_id: [(field.pk, count) for field, count in rows]
            for call_id, rows in result.items()
        },
        60,
    )
    return result


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
