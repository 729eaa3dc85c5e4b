from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy, EditableWhen
from halle_smartcity.admin_labels import LabelledTabularInline
from halle_smartcity.admin_refusals import RefusalPage, Refused

# The invitations' and the workshop results' screens register themselves.
from . import admin_invitations, admin_workshops, permissions, profiles, services  # noqa: F401
from .admin_picker import IdeaPicker, eligible_ideas, idea_label, idea_search_view
from .models import Indicator, Measure, MeasureIdea, MeasureStatus, MeasureUpdate, Milestone


class MeasureForm(forms.ModelForm):
    new_status = forms.ChoiceField(
        label=_("change status to"),
        required=False,
        choices=[("", _("(keep the status)")), *MeasureStatus.choices],
    )
    status_reason = forms.CharField(
        label=_("reason for skipping steps"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the new status is not the next step (kept in the audit log)."),
    )
    update_text = forms.CharField(
        label=_("public update"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Published with today's date on the measure's page; with a status change it "
            "explains the change."
        ),
    )

    class Meta:
        model = Measure
        fields = [
            "call",
            "title",
            "slug",
            "goal",
            "description",
            "action_fields",
            "quarters",
            "lead_department",
            "partners",
            "cost_range",
            "funding",
            "published",
        ]


class Editable(EditableWhen):
    viewable = staticmethod(permissions.can_manage_measures)
    editable = staticmethod(lambda user, obj: permissions.can_manage_measures(user))


class IdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return idea_label(obj)


class SourceIdeaInline(Editable, LabelledTabularInline):
    model = MeasureIdea
    extra = 1
    fields = ["idea", "contribution", "added_at"]
    readonly_fields = ["added_at"]
    verbose_name = _("source idea")
    verbose_name_plural = _("source ideas (search by reference, title, action field or status)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "idea":
            return IdeaChoiceField(
                queryset=eligible_ideas(),
                widget=IdeaPicker(db_field, self.admin_site),
                label=_("idea"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "contribution":
            field.widget = forms.Textarea(attrs={"rows": 2, "cols": 50})
        return field


class MilestoneInline(Editable, LabelledTabularInline):
    model = Milestone
    extra = 1
    fields = ["title", "due", "reached_on"]


class IndicatorInline(Editable, LabelledTabularInline):
    model = Indicator
    extra = 1
    fields = ["name", "unit", "target", "current"]


class UpdateInline(admin.TabularInline):
    """The published updates, read-only: new ones come from the form's "public update"."""

    model = MeasureUpdate
    extra = 0
    fields = ["published_at", "status", "text"]
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_measures(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _kept(formset) -> list:
    """The forms of an inline that stay: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


@admin.register(Measure)
class MeasureAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    """Measures are unpublished rather than deleted once they have public updates."""

    allowed = staticmethod(permissions.can_manage_measures)
    form = MeasureForm
    list_display = ["title", "call", "status", "lead_department", "published"]
    list_filter = ["call", "status", "published", "action_fields"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["action_fields", "quarters"]
    readonly_fields = ["status", "status_changed_at"]
    inlines = [SourceIdeaInline, MilestoneInline, IndicatorInline, UpdateInline]
    # No bulk delete: one at a time, through the delete page, which answers a refusal.
    actions = None
    fieldsets = [
        (None, {"fields": ["call", "title", "slug", "published"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "goal",
                    "description",
                    "action_fields",
                    "quarters",
                    "lead_department",
                    "partners",
                    "cost_range",
                    "funding",
                ]
            },
        ),
        (
            _("Status through the strategy"),
            {
                "fields": [
                    "status",
                    "status_changed_at",
                    "new_status",
                    "status_reason",
                    "update_text",
                ]
            },
        ),
    ]

    def get_urls(self):
        return [
            path(
                "idea-search/",
                self.admin_site.admin_view(self.idea_search),
                name="measures_measure_idea_search",
            ),
            *super().get_urls(),
        ]

    def idea_search(self, request):
        if not permissions.can_manage_measures(request.user):
            raise PermissionDenied
        return idea_search_view(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_measures(request.user)

    def get_deleted_objects(self, objs, request):
        # Whether a measure may go is the service's rule (no public updates), not the
        # model permissions of its rows: a refusal comes back from delete_model.
        deleted, counts, _perms_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), []

    def delete_model(self, request, obj):
        try:
            profiles.measure_delete(measure=obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error

    def save_model(self, request, obj, form, change):
        pass  # saved with its fields, ideas and profile in save_related, by service calls

    def save_related(self, request, form, formsets, change):
        measure, data = form.instance, form.cleaned_data
        by = {formset.model: formset for formset in formsets}
        for formset in formsets:
            # The rows go through the services below, not formset.save(); the admin's own
            # history message reads these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        sources = _kept(by[MeasureIdea])
        try:
            services.measure_save(
                measure=measure,
                by=request.user,
                action_fields=data["action_fields"],
                quarters=data["quarters"],
                ideas=[source.cleaned_data["idea"] for source in sources],
                contributions={
                    source.cleaned_data["idea"].pk: source.cleaned_data.get("contribution", "")
                    for source in sources
                },
            )
            profiles.measure_milestones_set(
                measure=measure,
                by=request.user,
                rows=[row.cleaned_data for row in _kept(by[Milestone])],
            )
            profiles.measure_indicators_set(
                measure=measure,
                by=request.user,
                rows=[row.cleaned_data for row in _kept(by[Indicator])],
            )
            if data.get("new_status") and data["new_status"] != measure.status:
                profiles.measure_status_change(
                    measure=measure,
                    to=data["new_status"],
                    by=request.user,
                    text=data.get("update_text", ""),
                    reason=data.get("status_reason", ""),
                )
            elif data.get("update_text", "").strip():
                profiles.measure_update_publish(
                    measure=measure, by=request.user, text=data["update_text"]
                )
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error
