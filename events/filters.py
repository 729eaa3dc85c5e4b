import django_filters
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField

from .forms import EventFilterForm
from .models import EventFormat, EventKind


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=EventFormat.choices, empty_label=_("All formats")
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Action field"),
        queryset=ActionField.objects.active(),
        to_field_name="slug",
        field_name="action_fields",
        empty_label=_("All action fields"),
    )

    class Meta:
        form = EventFilterForm
