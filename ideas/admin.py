"""Calls and their deadline extensions. The ideas themselves are worked on in the review's
admin (review/admin), which registers the Idea model."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from halle_smartcity.admin_access import AllowedBy
from halle_smartcity.admin_labels import LabelledTabularInline

from . import permissions
from .models import Call, CallExtension
from .services import call_extend, call_extension_errors, call_save


class CallExtensionInline(LabelledTabularInline):
    model = CallExtension
    extra = 0
    can_delete = False
    fields = ["old_deadline", "new_deadline", "reason", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(AllowedBy, admin.ModelAdmin):
    """Calls are the editors'; a call with ideas is part of the record, never deleted."""

    allowed = staticmethod(permissions.can_manage_calls)
    list_display = ["title", "opens_at", "closes_at", "deadline", "published"]
    list_filter = ["published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CallExtensionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published and obj.has_started():
            # The deadline moves only by an extension, which keeps the old one on record.
            return ["deadline", "slug", "opens_at", "closes_at", "reference_prefix"]
        return ["deadline"]

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        call_save(call=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        pass  # no relation of a call is edited here; extensions are added on their own page


class CallExtensionForm(forms.ModelForm):
    class Meta:
        model = CallExtension
        fields = ["call", "new_deadline", "reason"]

    def clean(self):
        cleaned = super().clean()
        call, new_deadline = cleaned.get("call"), cleaned.get("new_deadline")
        if call and new_deadline:
            self.instance.old_deadline = call.deadline
            errors = call_extension_errors(
                current_deadline=call.deadline,
                new_deadline=new_deadline,
                reason=cleaned.get("reason", ""),
                now=timezone.now(),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned


@admin.register(CallExtension)
class CallExtensionAdmin(AllowedBy, admin.ModelAdmin):
    """Extensions are added, never edited: the old deadline stays on record."""

    allowed = staticmethod(permissions.can_manage_calls)
    form = CallExtensionForm
    list_display = ["call", "old_deadline", "new_deadline", "created_by", "created_at"]
    list_select_related = ["call", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        extension = call_extend(
            call=obj.call, new_deadline=obj.new_deadline, reason=obj.reason, by=request.user
        )
        obj.pk, obj.old_deadline, obj.created_at = (
            extension.pk,
            extension.old_deadline,
            extension.created_at,
        )
