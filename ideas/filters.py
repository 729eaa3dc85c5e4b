import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

from . import similarity_search
from .models import PUBLIC_STATUSES, Call, Status

SORTS = {
    "newest": ["-submitted_at", "-id"],
    "oldest": ["submitted_at", "id"],
    "title": ["title", "id"],
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
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title A–Z")),
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

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            ranked = ["-search_rank"] if getattr(self, "ranked", False) else []
            queryset = queryset.order_by(*ranked, *SORTS["newest"])
        return queryset
