"""The staff's side of workshop invitations: an action on the ideas' list (filter it, select,
choose an event), the list of invitations per idea and event (invited, accepted, came), and
the printable letter list for authors without an email address."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import review.admin  # noqa: F401  (the ideas' admin, which this adds an action to)
from events.models import Event
from halle_smartcity.admin_access import AllowedBy
from ideas.models import Idea

from . import permissions
from .invitations import invitations_send
from .models import Invitation


class InviteForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("event"),
        queryset=Event.objects.none(),
        help_text=_("Upcoming events that take registrations."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            cancelled_at__isnull=True,
            ends_at__gt=timezone.now(),
            registration_enabled=True,
        ).order_by("starts_at")


@admin.action(description=_("Invite the idea givers to a workshop"))
def invite_to_workshop(modeladmin, request, queryset):
    if not permissions.can_manage_measures(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        try:
            count = invitations_send(
                ideas=list(queryset), event=form.cleaned_data["event"], by=request.user
            )
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            _(
                "%(invited)s invited by email, %(letters)s to invite by letter (see the letter "
                "list). Not invited: %(declined)s did not want to take part in workshops, "
                "%(no_contact)s cannot be reached, %(already)s were invited before."
            )
            % vars(count),
            messages.SUCCESS,
        )
        if count.letters:
            modeladmin.message_user(
                request,
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:measures_invitation_letters"),
                    _("Open the letter list to print"),
                ),
                messages.INFO,
            )
        return None
    return TemplateResponse(
        request,
        "admin/review/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Invite the idea givers to a workshop"),
            "form": form,
            "ideas": queryset[:100],
            "count": queryset.count(),
            "action": "invite_to_workshop",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": Idea._meta,
        },
    )


# The ideas' admin lives in the review app, below this one: the action joins it from here.
_idea_admin = admin.site.get_model_admin(Idea)
_idea_admin.actions = [*_idea_admin.actions, invite_to_workshop]


@admin.register(Invitation)
class InvitationAdmin(AllowedBy, admin.ModelAdmin):
    """Read-only: invitations are written by the action and answered through their link."""

    allowed = staticmethod(permissions.can_manage_measures)
    list_display = ["idea_reference", "idea_title", "event", "status", "by_letter", "came"]
    list_filter = ["event", "status", "by_letter"]
    search_fields = ["idea__reference", "idea__title"]
    list_select_related = ["idea", "event", "registration"]
    fields = ["idea", "event", "status", "by_letter", "invited_at", "answered_at", "came"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reference"), ordering="idea__reference")
    def idea_reference(self, obj):
        return obj.idea.reference

    @admin.display(description=_("title"))
    def idea_title(self, obj):
        return obj.idea.title

    @admin.display(description=_("came"))
    def came(self, obj):
        attended = obj.registration.attended if obj.registration else None
        return {True: _("yes"), False: _("no"), None: "–"}[attended]

    def get_urls(self):
        return [
            path(
                "briefe/",
                self.admin_site.admin_view(self.letters),
                name="measures_invitation_letters",
            ),
            *super().get_urls(),
        ]

    def letters(self, request):
        """Names and postal addresses of the authors to invite by letter (staff only)."""
        if not permissions.can_manage_measures(request.user):
            raise PermissionDenied
        invitations = (
            Invitation.objects.filter(by_letter=True, status="invited")
            .select_related("idea", "event")
            .order_by("event__starts_at", "idea__reference")
        )
        event = request.GET.get("event", "")
        if event.isdigit():
            invitations = invitations.filter(event_id=int(event))
        return TemplateResponse(
            request,
            "admin/measures/invitation_letters.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Invitations by letter"),
                "invitations": invitations,
            },
        )
