from dataclasses import dataclass

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

from . import similarity_search
from .models import PUBLIC_STATUSES, Call, Status

SORTS = {
    "newest": ["-submitted_at", "-id"],
    "oldest": ["submitted_at", "id"],
    "title": ["title", "id"],
    "supports": ["-support_count", "-id"],
}


class IdeaFilterForm(forms.Form):
    hide_optional = True  # every filter is optional; saying so on each is noise


class IdeaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    call = django_filters.ModelChoiceFilter(
        label=_("Call"),
        queryset=Call.objects.published(),
        to_field_name="slug",
        empty_label=_("All calls"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Action field"),
        queryset=ActionField.objects.active(),
        to_field_name="slug",
        field_name="action_fields",
        empty_label=_("All action fields"),
    )
    quarter = django_filters.ModelChoiceFilter(
        label=_("Quarter"),
        queryset=Quarter.objects.filter(active=True),
        to_field_name="code",
        field_name="quarters",
        empty_label=_("All quarters"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(value, label) for value, label in Status.choices if value in PUBLIC_STATUSES],
        empty_label=_("All statuses"),
    )
    supported = django_filters.ChoiceFilter(
        label=_("Support"),
        choices=[("1", _("Only ideas that reached the support threshold"))],
        method="filter_supported",
        empty_label=_("All ideas"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title A–Z")),
            ("supports", _("Most supported first")),
        ],
        method="sort_by",
        empty_label=None,
        widget=forms.Select,
    )

    class Meta:
        form = IdeaFilterForm

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # The analysis of the similar ideas: inflection, compounds, synonyms; ranked.
        queryset, self.ranked = similarity_search.search_filter(queryset, value)
        return queryset

    def filter_supported(self, queryset, name, value):
        # Written by the discussion app once an idea reached its call's threshold.
        return queryset.filter(support_threshold_reached_at__isnull=False)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            ranked = ["-search_rank"] if getattr(self, "ranked", False) else []
            queryset = queryset.order_by(*ranked, *SORTS["newest"])
        return queryset


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # the filter's name ("Action field")
    value: str  # what it is set to ("Education")
    remove_url: str  # the list's query string without it


def canonical_query(data: QueryDict) -> QueryDict:
    """The query without empty parameters (a form sends every field, set or not), so that the
    list filtered with and without JavaScript has one address (and one cached copy)."""
    query = QueryDict(mutable=True)
    for name, values in data.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            query.setlist(name, kept)
    return query


def active_filters(idea_filter: IdeaFilter) -> list[ActiveFilter]:
    """The filters in effect (not the sort order), each with the link that removes it (and
    goes back to the first page)."""
    data = canonical_query(idea_filter.data) if idea_filter.is_bound else QueryDict()
    cleaned = getattr(idea_filter.form, "cleaned_data", {})
    found = []
    for name, field in idea_filter.form.fields.items():
        value = cleaned.get(name)
        if name == "sort" or value in (None, ""):
            continue
        if isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
            shown = str(dict(field.choices).get(value, value))
        elif name == "q":
            shown = f"„{value}“"
        else:
            shown = str(value)
        rest = data.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        query = rest.urlencode()
        found.append(ActiveFilter(str(field.label), shown, f"?{query}" if query else "?"))
    return found


def sort_label(idea_filter: IdeaFilter) -> str:
    choices = dict(idea_filter.form.fields["sort"].choices)
    value = getattr(idea_filter.form, "cleaned_data", {}).get("sort") or "newest"
    return str(choices.get(value, choices["newest"]))
