from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy
from halle_smartcity.admin_refusals import RefusalPage, Refused
from ideas.models import Idea, Status

from . import permissions, services
from .models import Measure


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "call",
            "title",
            "slug",
            "description",
            "action_fields",
            "lead_department",
            "ideas",
            "published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ideas = Idea.objects.filter(status__in=[Status.QUALIFIED, Status.IN_MEASURE])
        if self.instance.pk:
            ideas = ideas.filter(call=self.instance.call)
        self.fields["ideas"].queryset = ideas
        self.fields["ideas"].help_text = _("Only qualified ideas can join a measure.")


@admin.register(Measure)
class MeasureAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    """Measures are unpublished, never deleted: ideas and the board's record refer to them."""

    allowed = staticmethod(permissions.can_manage_measures)
    form = MeasureForm
    list_display = ["title", "call", "lead_department", "published"]
    list_filter = ["call", "published", "action_fields"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["ideas", "action_fields"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its fields and ideas in save_related, by one service call

    def save_related(self, request, form, formsets, change):
        try:
            services.measure_save(
                measure=form.instance,
                by=request.user,
                action_fields=form.cleaned_data["action_fields"],
                ideas=form.cleaned_data["ideas"],
            )
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error
