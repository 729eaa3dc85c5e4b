from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy, EditableWhen
from halle_smartcity.admin_labels import LabelledTabularInline
from halle_smartcity.admin_refusals import RefusalPage, Refused

from . import permissions, services
from .models import Shortlist, ShortlistItem


class ShortlistItemInline(EditableWhen, LabelledTabularInline):
    viewable = staticmethod(permissions.can_manage_shortlists)
    editable = staticmethod(permissions.can_edit_shortlist)
    model = ShortlistItem
    extra = 0
    fields = ["order", "idea", "measure", "final_recommendation", "published_at"]
    readonly_fields = ["final_recommendation", "published_at"]
    raw_id_fields = ["idea", "measure"]


@admin.register(Shortlist)
class ShortlistAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    """Editors assemble a shortlist; once its window opens it is frozen for the board. It is
    never deleted: the board's record refers to it, an unused draft stays harmless."""

    allowed = staticmethod(permissions.can_manage_shortlists)

    list_display = [
        "title",
        "call",
        "action_field",
        "opens_at",
        "closes_at",
        "frozen_at",
        "tally_link",
    ]
    list_filter = ["call"]
    list_select_related = ["call", "action_field"]
    inlines = [ShortlistItemInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.has_opened():
            # Only the end of the window may still move: the board may need more time.
            return ["call", "action_field", "title", "opens_at", "quorum", "frozen_at"]
        return ["frozen_at"]

    @admin.display(description=_("tally"))
    def tally_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("board:tally", args=[obj.pk]), _("Tally")
        )

    def save_model(self, request, obj, form, change):
        try:
            services.shortlist_save(shortlist=obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        if not items and not formset.deleted_objects:
            return
        try:
            left_out = services.shortlist_items_save(
                shortlist=form.instance,
                items=items,
                deleted=list(formset.deleted_objects),
                by=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        for reason in left_out:
            self.message_user(request, reason, messages.WARNING)
