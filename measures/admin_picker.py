"""The idea picker of the measure form: searches every idea an editor may bundle (qualified
or already in a measure) by reference, title, action field and status, and names each by
reference, title, field and status, as select2 expects from the admin's autocomplete."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext

from ideas.models import Idea, Status

from .models import ELIGIBLE_STATUSES

PAGE_SIZE = 20
MAX_TERM = 100


def eligible_ideas() -> QuerySet[Idea]:
    return Idea.objects.filter(status__in=ELIGIBLE_STATUSES).select_related("primary_field")


def idea_label(idea: Idea) -> str:
    parts = [part for part in (idea.primary_field and idea.primary_field.name,) if part]
    parts.append(str(Status(idea.status).label))
    return f"{idea.reference} – {idea.title} ({' · '.join(parts)})"


def idea_search(term: str) -> QuerySet[Idea]:
    """Eligible ideas matching every word of `term` in reference, title, action field or
    status (by its German or English name)."""
    ideas = eligible_ideas()
    for word in term.split()[:8]:
        statuses = [value for value, label in Status.choices if word.lower() in str(label).lower()]
        ideas = ideas.filter(
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(primary_field__name__icontains=word)
            | Q(action_fields__name__icontains=word)
            | Q(status__in=statuses)
        )
    return ideas.distinct().order_by("reference")


def idea_search_view(request) -> JsonResponse:
    """select2's JSON: {"results": [{"id", "text"}], "pagination": {"more"}}. The caller
    (MeasureAdmin.get_urls, behind admin_view) checks who may."""
    term = request.GET.get("term", "")[:MAX_TERM]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    rows = list(idea_search(term)[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [
                {"id": str(idea.pk), "text": idea_label(idea)} for idea in rows[:PAGE_SIZE]
            ],
            "pagination": {"more": len(rows) > PAGE_SIZE},
        }
    )


class IdeaPicker(AutocompleteSelect):
    """The admin's autocomplete box, asking the measures' idea search instead of the
    ideas' admin (whose search knows nothing of eligibility)."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:measures_measure_idea_search")

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        # select2 names its box by the text shown in it: an empty row says what to do.
        attrs["data-placeholder"] = gettext("Search by reference, title, field or status")
        # A row added in the browser is named by its column only here (admin.js hands the
        # name on to the box select2 draws).
        attrs.setdefault("aria-label", gettext("Source idea"))
        return attrs
