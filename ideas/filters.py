import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

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
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(reference__iexact=value)
        )

    def filter_supported(self, queryset, name, value):
        # Written by the discussion app once an idea reached its call's threshold.
        return queryset.filter(support_threshold_reached_at__isnull=False)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["newest"])
        return queryset
