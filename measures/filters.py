import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

from .models import Measure, MeasureStatus


class MeasureFilterForm(forms.Form):
    hide_optional = True  # every filter is optional; saying so on each is noise


class MeasureFilter(django_filters.FilterSet):
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
        label=_("Status"), choices=MeasureStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Measure
        fields: list[str] = []
        form = MeasureFilterForm

    @property
    def qs(self):
        return super().qs.distinct()
