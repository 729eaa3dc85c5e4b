from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry, selectors
from .models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action.code, action.label) for action in registry.actions()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The log as staff read it: what happened, to what, by whom; nothing can be changed."""

    list_display = ["when", "what", "about", "by", "details"]
    list_filter = [ActionFilter, "subject_type"]
    search_fields = ["action", "data"]
    list_select_related = ["actor", "subject_type"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        # One query per kind of object on the page, not one per entry.
        return super().get_queryset(request).prefetch_related("subject")

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, obj):
        return timezone.localtime(obj.created_at).strftime("%d.%m.%Y %H:%M")

    @admin.display(description=_("action"), ordering="action")
    def what(self, obj):
        return selectors.action_label(obj.action)

    @admin.display(description=_("object"))
    def about(self, obj):
        return selectors.subject_label(obj)

    @admin.display(description=_("by"))
    def by(self, obj):
        return selectors.actor_label(obj)

    @admin.display(description=_("details"))
    def details(self, obj):
        return selectors.entry_description(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
