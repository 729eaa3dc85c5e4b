"""The editors' screens of the discussion: each call's settings; the moderation queue, the
comments and the blocks are in discussion/moderation_admin.py. Changes go through services."""

from django.contrib import admin

from halle_smartcity.admin_access import AllowedBy

from . import moderation_admin, permissions, services
from .models import CallDiscussion


@admin.register(CallDiscussion)
class CallDiscussionAdmin(AllowedBy, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_moderate)
    list_display = [
        "call",
        "phase",
        "open_until",
        "support_threshold",
        "premoderate_first_comments",
    ]
    list_filter = ["phase", "premoderate_first_comments"]
    autocomplete_fields = []

    def get_readonly_fields(self, request, obj=None):
        return ["call"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        services.call_discussion_save(settings=obj, by=request.user)


__all__ = ["CallDiscussionAdmin", "moderation_admin"]
