"""Themes across action fields in the admin: the proposed themes with their ideas and fields,
each with a link that opens a new measure prefilled with them; and the computations, where
an editor asks for new ones (computed by the worker) and follows their progress."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy
from halle_smartcity.admin_refusals import RefusalPage, Refused
from ideas.models import Idea

from .. import permissions, themes
from ..models import Theme, ThemeRun


@admin.register(Theme)
class ThemeAdmin(AllowedBy, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_triage)
    list_display = ["name", "call", "field_count", "idea_list", "measure_link"]
    list_filter = ["call"]
    fields = ["name", "call", "field_count", "idea_list", "measure_link", "computed_at"]
    readonly_fields = fields
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("call")
            .prefetch_related(
                Prefetch(
                    "ideas",
                    queryset=Idea.objects.select_related("primary_field").prefetch_related(
                        "action_fields"
                    ),
                )
            )
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("theme"))
    def name(self, obj):
        return ", ".join(obj.words)

    @admin.display(description=_("ideas"))
    def idea_list(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{} {}</a> ({})</li>",
                (
                    (
                        reverse("admin:ideas_idea_change", args=[idea.pk]),
                        idea.reference,
                        idea.title,
                        ", ".join(str(field) for field in idea.action_fields.all()),
                    )
                    for idea in obj.ideas.all()
                ),
            ),
        )

    @admin.display(description=_("measure"))
    def measure_link(self, obj):
        ideas = list(obj.ideas.all())
        fields = sorted({field.pk for idea in ideas for field in idea.action_fields.all()})
        query = urlencode(
            {
                "call": obj.call_id,
                "title": ", ".join(obj.words),
                "ideas": ",".join(str(idea.pk) for idea in ideas),
                "action_fields": ",".join(str(pk) for pk in fields),
            }
        )
        return format_html(
            "<a class='button' href='{}?{}'>{}</a>",
            reverse("admin:measures_measure_add"),
            query,
            _("Create a measure from this theme"),
        )


@admin.register(ThemeRun)
class ThemeRunAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    """ "Add" asks the worker for a call's themes; the list shows the progress."""

    allowed = staticmethod(permissions.can_triage)
    list_display = ["call", "state", "progress", "created_at", "finished_at"]
    list_select_related = ["call"]
    fields = ["call"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            form.instance = themes.themes_request(call=form.cleaned_data["call"], by=request.user)
        except PermissionDenied as error:
            raise Refused(error) from error
        obj.pk = form.instance.pk
