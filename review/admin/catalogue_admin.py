"""The criteria catalogue per call and version, saved through review.assessments."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy, EditableWhen
from halle_smartcity.admin_labels import LabelledTabularInline
from halle_smartcity.admin_refusals import RefusalPage, Refused

from .. import assessments, permissions
from ..models import CriteriaCatalogue, Criterion


class CriterionInline(EditableWhen, LabelledTabularInline):
    viewable = staticmethod(permissions.can_triage)
    editable = staticmethod(permissions.can_edit_catalogue)
    model = Criterion
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "description",
        "weight",
        "knockout",
        "scale_min",
        "scale_max",
    ]


@admin.register(CriteriaCatalogue)
class CriteriaCatalogueAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    """A catalogue is never deleted: make a new version instead, assessments may use it."""

    allowed = staticmethod(permissions.can_triage)
    list_display = ["call", "version", "threshold", "frozen", "ranking_link"]
    list_filter = ["call"]
    list_select_related = ["call"]
    inlines = [CriterionInline]
    actions = ["new_version"]

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_catalogue(request.user, obj)

    @admin.display(boolean=True, description=_("frozen"))
    def frozen(self, obj):
        return obj.is_frozen

    @admin.display(description=_("ranking"))
    def ranking_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("review:ranking", args=[obj.call.slug]), _("Ranking")
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return ["call", "version", "threshold"]
        return ["version"] if obj else []

    def save_model(self, request, obj, form, change):
        pass  # saved with its criteria in save_related, by one service call

    def save_related(self, request, form, formsets, change):
        criteria, deleted = [], []
        for formset in formsets:
            criteria += formset.save(commit=False)
            deleted += formset.deleted_objects
        try:
            problems = assessments.catalogue_save(
                catalogue=form.instance, by=request.user, criteria=criteria, deleted=deleted
            )
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=_("Make a new, editable version"))
    def new_version(self, request, queryset):
        for catalogue in queryset:
            copy = assessments.catalogue_new_version(catalogue=catalogue, by=request.user)
            self.message_user(
                request,
                _("Version %(version)d created.") % {"version": copy.version},
                messages.SUCCESS,
            )
