from django.contrib import admin

from . import services
from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The editors keep the legal pages up to date; the three pages always exist."""

    list_display = ["title_de", "updated_at"]
    fields = ["slug", "title_de", "body_de", "title_en", "body_en", "updated_at"]
    readonly_fields = ["slug", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj, by=request.user)
