from django.contrib import admin

from halle_smartcity.admin_labels import LabelledListEditable

from . import services
from .models import ActionField, District, Quarter


class SavedThroughService:
    """Vocabulary entries are saved (and audited) by fields.services; an entry that ideas
    or events use is retired, not deleted."""

    def save_model(self, request, obj, form, change):
        services.vocabulary_save(obj=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionField)
class ActionFieldAdmin(SavedThroughService, LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "order", "active"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(SavedThroughService, LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(Quarter)
class QuarterAdmin(SavedThroughService, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "part_of", "district", "active"]
    list_filter = ["district", "kind", "active"]
    search_fields = ["name", "code", "part_of"]
    list_select_related = ["district"]
