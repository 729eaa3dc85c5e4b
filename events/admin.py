from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_labels import LabelledListEditable
from halle_smartcity.spreadsheets import csv_response

from . import permissions, selectors, services, timeline
from .forms import CancelEventForm
from .models import Event, Milestone, Publication, Registration, RegistrationStatus


def participants_csv(event: Event):
    """The list for the door: places first, then the waiting list in order, with an empty
    column to tick."""
    waiting = 0
    rows = []
    for number, registration in enumerate(selectors.participants(event=event), start=1):
        if registration.is_waitlisted:
            waiting += 1
            status = gettext("Waiting list %(position)d") % {"position": waiting}
        else:
            status = registration.get_status_display()
        attended = {True: gettext("yes"), False: gettext("no")}.get(registration.attended, "")
        rows.append(
            [
                number,
                registration.name,
                registration.email,
                status,
                timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M"),
                gettext("yes") if registration.user_id else gettext("no"),
                attended,
            ]
        )
    stamp = timezone.localtime().strftime("%Y%m%d")
    return csv_response(
        [
            gettext("No."),
            gettext("Name"),
            gettext("Email address"),
            gettext("Status"),
            gettext("Registered"),
            gettext("Account"),
            gettext("Attended"),
        ],
        rows,
        filename=f"teilnehmende-{event.slug}-{stamp}.csv",
    )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are saved and cancelled through the services: the calendar SEQUENCE, the
    notices to participants and the audit log never depend on which door a change took."""

    change_form_template = "events/admin/event_change_form.html"
    list_display = [
        "title",
        "starts_at",
        "kind",
        "format",
        "public",
        "capacity",
        "seats_taken",
        "waiting",
        "cancelled",
    ]
    list_filter = [
        "kind",
        "format",
        "public",
        "call",
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "slug", "venue_name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["action_fields", "quarters"]
    readonly_fields = ["cancelled_at", "cancellation_reason", "sequence", "uid", "updated_at"]
    list_select_related = ["call"]
    actions = ["export_participants"]
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "kind", "format", "summary", "description", "public")},
        ),
        (_("Time"), {"fields": ("starts_at", "ends_at")}),
        (_("Place"), {"fields": ("venue_name", "venue_address", "accessibility_notes")}),
        (_("Online"), {"fields": ("online_url",)}),
        (
            _("Registration"),
            {"fields": ("registration_enabled", "capacity", "registration_deadline")},
        ),
        (_("Sorting"), {"fields": ("call", "action_fields", "quarters")}),
        (
            _("Record"),
            {"fields": ("cancelled_at", "cancellation_reason", "sequence", "uid", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("places taken"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("waiting list"), ordering="waiting")
    def waiting(self, obj):
        return obj.waiting

    @admin.display(description=_("cancelled"), boolean=True, ordering="cancelled_at")
    def cancelled(self, obj):
        return obj.is_cancelled

    def save_model(self, request, obj, form, change):
        services.event_save(event=obj, by=request.user)

    def get_urls(self):
        urls = super().get_urls()
        own = [
            path(
                "<int:pk>/participants.csv",
                self.admin_site.admin_view(self.participants_view),
                name="events_event_participants",
            ),
            path(
                "<int:pk>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="events_event_cancel",
            ),
        ]
        return own + urls

    def participants_view(self, request, pk):
        if not permissions.can_see_participants(request.user):
            raise PermissionDenied
        return participants_csv(get_object_or_404(Event, pk=pk))

    def cancel_view(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        form = CancelEventForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.event_cancel(
                    event=event, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    gettext("The event has been cancelled and its participants are told."),
                    messages.SUCCESS,
                )
                return redirect("admin:events_event_change", event.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cancel event"),
            "event": event,
            "form": form,
            "opts": self.model._meta,
            "active": event.registrations.active().count(),
        }
        return TemplateResponse(request, "events/admin/event_cancel.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        event = self.get_object(request, object_id)
        if event is not None:
            base = reverse("admin:events_registration_changelist")
            extra_context.update(
                {
                    "participants_url": f"{base}?"
                    + urlencode({"event__id__exact": event.pk, "status__exact": "confirmed"}),
                    "waiting_url": f"{base}?"
                    + urlencode({"event__id__exact": event.pk, "status__exact": "waitlisted"}),
                    "can_see_participants": permissions.can_see_participants(request.user),
                    # Ideas handed in at the event (analog intake, IdeaReceipt).
                    "ideas_url": reverse("admin:ideas_idea_changelist")
                    + "?"
                    + urlencode({"receipt__event__id__exact": event.pk}),
                    "ideas_count": event.ideas_received.count(),
                    "counts": event.registrations.aggregate(
                        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
                        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
                        attended=Count("id", filter=Q(attended=True)),
                    ),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Export participant list (CSV)"), permissions=["view"])
    def export_participants(self, request, queryset):
        if not permissions.can_see_participants(request.user):
            raise PermissionDenied
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Please choose exactly one event."), messages.WARNING
            )
            return None
        return participants_csv(queryset.get())


class AttendanceFilter(admin.SimpleListFilter):
    title = _("attended")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no")), ("unknown", _("not recorded"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(attended=True)
        if value == "no":
            return queryset.filter(attended=False)
        if value == "unknown":
            return queryset.filter(attended__isnull=True)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(LabelledListEditable, admin.ModelAdmin):
    """Registrations and the waiting list of each event. Staff record attendance here and
    may cancel a registration; the waiting list then moves up by itself."""

    list_display = [
        "name",
        "email",
        "event_link",
        "status",
        "queued_at",
        "created_at",
        "has_account",
        "attended",
    ]
    list_editable = ["attended"]
    list_filter = ["status", AttendanceFilter, "event"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    ordering = ["event", "status", "queued_at", "created_at", "id"]
    readonly_fields = [
        "event",
        "user",
        "name",
        "email",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "queued_at",
        "seated_at",
        "cancelled_at",
    ]
    fields = [*readonly_fields, "attended"]
    actions = ["mark_attended", "mark_absent", "cancel_registrations"]

    def has_module_permission(self, request):
        return permissions.can_see_participants(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_see_participants(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_see_participants(request.user) and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request):
        return False  # people register on the site; staff see them here

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the waiting list moves up, the record stays

    @admin.display(description=_("event"), ordering="event__starts_at")
    def event_link(self, obj):
        url = reverse("admin:events_event_change", args=[obj.event_id])
        return format_html('<a href="{}">{}</a>', url, obj.event.title)

    @admin.display(description=_("account"), boolean=True)
    def has_account(self, obj):
        return obj.user_id is not None

    def save_model(self, request, obj, form, change):
        services.attendance_record(
            registrations=[obj], attended=form.cleaned_data.get("attended"), by=request.user
        )

    def _attendance(self, request, queryset, attended):
        count = services.attendance_record(
            registrations=list(queryset), attended=attended, by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "Attendance recorded for %(count)d person.",
                "Attendance recorded for %(count)d people.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._attendance(request, queryset, True)

    @admin.action(description=_("Mark as not attended"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._attendance(request, queryset, False)

    @admin.action(description=_("Cancel registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        count = 0
        for registration in queryset:
            try:
                services.registration_cancel(registration=registration, by=request.user)
                count += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{registration}: {' '.join(error.messages)}", messages.ERROR
                )
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", count
            )
            % {"count": count},
        )


class TimelineEntryAdmin(admin.ModelAdmin):
    """Milestones and publications are saved and deleted through events.timeline (audited)."""

    def save_model(self, request, obj, form, change):
        timeline.timeline_entry_save(entry=obj, by=request.user)

    def delete_model(self, request, obj):
        timeline.timeline_entry_delete(entry=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            timeline.timeline_entry_delete(entry=entry, by=request.user)


@admin.register(Milestone)
class MilestoneAdmin(TimelineEntryAdmin):
    list_display = [
        "title",
        "starts_on",
        "ends_on",
        "precision",
        "phase",
        "event",
        "call",
        "public",
    ]
    list_filter = ["public", "precision", "phase"]
    search_fields = ["title"]
    list_select_related = ["event", "call"]
    autocomplete_fields = ["event"]


@admin.register(Publication)
class PublicationAdmin(TimelineEntryAdmin):
    list_display = ["published_on", "outlet", "title", "public"]
    list_filter = ["public", "outlet"]
    search_fields = ["title", "outlet"]
    date_hierarchy = "published_on"
