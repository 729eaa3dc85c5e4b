from django.contrib import admin

from .models import ActionField, District, Quarter


@admin.register(ActionField)
class ActionFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "order", "active"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(Quarter)
class QuarterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "part_of", "district", "active"]
    list_filter = ["district", "kind", "active"]
    search_fields = ["name", "code", "part_of"]
    list_select_related = ["district"]
