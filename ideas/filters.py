from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from fields.models import ActionField, Quarter
from halle_smartcity.page_cache import SITE, request_tag_versions

from . import similarity_search
from .models import PUBLIC_STATUSES, Call, Status

# The choices are stale with the `site` tag (a call, field or quarter saved or deleted).
CHOICES_SECONDS = 24 * 3600

SORTS = {
    "newest": ["-submitted_at", "-id"],
    "oldest": ["submitted_at", "id"],
    "title": ["title", "id"],
    "supports": ["-support_count", "-id"],
}


class IdeaFilterForm(forms.Form):
    hide_optional = True  # every filter is optional; saying so on each is noise


def _choice_rows(kind: str) -> list[tuple[str, str, int]]:
    """What one filter offers, as (value in the URL, label, pk), in one query."""
    if kind == "call":
        return [(call.slug, str(call), call.pk) for call in Call.objects.published()]
    if kind == "field":
        return [(item.slug, str(item), item.pk) for item in ActionField.objects.active()]
    quarters = Quarter.objects.filter(active=True)
    return [(quarter.code, str(quarter), quarter.pk) for quarter in quarters]


class FilterChoices:
    """The choices of the list's filters: the published calls, the active action fields and
    quarters. Cached per language until one of them changes (the `site` tag), so that the
    filter form costs no query; read only for the filters a request needs (all three to show
    the form, one to check one value)."""

    KINDS = ("call", "field", "quarter")

    def __init__(self):
        self._rows = None
        self._keys = {}

    def rows(self, kind: str) -> list[tuple[str, str, int]]:
        if self._rows is None:
            # One round trip for the tag and one for all three lists.
            version = request_tag_versions([SITE])[SITE]
            prefix = f"ideas:filter-choices:{get_language()}:{version}"
            self._keys = {name: f"{prefix}:{name}" for name in self.KINDS}
            found = cache.get_many(list(self._keys.values()))
            self._rows = {name: found[key] for name, key in self._keys.items() if key in found}
        if kind not in self._rows:
            self._rows[kind] = _choice_rows(kind)
            cache.set(self._keys[kind], self._rows[kind], CHOICES_SECONDS)
        return self._rows[kind]

    def pks(self, kind: str) -> dict[str, int]:
        return {value: pk for value, _label, pk in self.rows(kind)}

    def labels(self, kind: str) -> "Labels":
        return Labels(self, kind)


class Labels:
    """A filter's choices, read when the form is shown or a value checked, not before. The
    form copies its fields deeply; this stays itself (it holds no state of its own)."""

    def __init__(self, choices: FilterChoices, kind: str):
        self.choices, self.kind = choices, kind

    def __call__(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label, _pk in self.choices.rows(self.kind)]

    def __deepcopy__(self, memo):
        return self


class CachedChoiceFilter(django_filters.ChoiceFilter):
    """One call, action field or quarter, named by its slug or code, among the filter set's
    `FilterChoices`: filters by its pk, so neither the form nor the filter reads it."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        # An unknown value is refused as the model's choice field did, without echoing it.
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]},
        )
        super().__init__(*args, choices=lambda: [], **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(**{self.field_name: self.parent.choices.pks(self.kind)[value]})


class IdeaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    call = CachedChoiceFilter(kind="call", label=_("Call"), empty_label=_("All calls"))
    field = CachedChoiceFilter(
        kind="field",
        label=_("Action field"),
        field_name="action_fields",
        empty_label=_("All action fields"),
    )
    quarter = CachedChoiceFilter(
        kind="quarter", label=_("Quarter"), field_name="quarters", empty_label=_("All quarters")
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = FilterChoices()
        for kind in FilterChoices.KINDS:
            self.filters[kind].extra["choices"] = self.choices.labels(kind)

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
