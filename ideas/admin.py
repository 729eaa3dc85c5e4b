from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import idea_admin  # noqa: F401  (registers the idea, catalogue and measure admins)
from .models import (
    Call,
    CallExtension,
    Notice,
    Shortlist,
    ShortlistItem,
    Status,
    Subscription,
)
from .notices import notices_resend
from .services import call_extend, call_extension_errors, call_save


class CallExtensionInline(admin.TabularInline):
    model = CallExtension
    extra = 0
    can_delete = False
    fields = ["old_deadline", "new_deadline", "reason", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "deadline", "published", "ranking_link"]
    list_filter = ["published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CallExtensionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published and obj.has_started():
            # The deadline moves only by an extension, which keeps the old one on record.
            return ["deadline", "slug", "opens_at", "closes_at", "reference_prefix"]
        return ["deadline"]

    @admin.display(description=_("ranking"))
    def ranking_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("ideas:ranking", args=[obj.slug]), _("Ranking")
        )

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        call_save(call=obj)


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
class CallExtensionAdmin(admin.ModelAdmin):
    """Extensions are added, never edited: the old deadline stays on record."""

    form = CallExtensionForm
    list_display = ["call", "old_deadline", "new_deadline", "created_by", "created_at"]
    list_select_related = ["call", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        extension = call_extend(
            call=obj.call, new_deadline=obj.new_deadline, reason=obj.reason, by=request.user
        )
        obj.pk, obj.old_deadline, obj.created_at = (
            extension.pk,
            extension.old_deadline,
            extension.created_at,
        )


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The notice log: what went out to whom, what failed, and a way to send again."""

    list_display = ["created_at", "kind", "email", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "call"]
    search_fields = ["email", "dedupe_key", "idea__reference"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [field.name for field in Notice._meta.fields]
    list_select_related = []

    def get_queryset(self, request):
        from events.permissions import can_see_participants

        queryset = super().get_queryset(request)
        if not can_see_participants(request.user):
            # Who registered for which event is for those who may see participants.
            queryset = queryset.filter(event__isnull=True)
        return queryset

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def resend(self, request, queryset):
        count = notices_resend(notices=queryset)
        self.message_user(request, _("%(count)d notices will be sent again.") % {"count": count})


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "call", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["call", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["token", "created_at", "confirmed_at", "unsubscribed_at"]
    list_select_related = ["call"]


class ShortlistItemInline(admin.TabularInline):
    model = ShortlistItem
    extra = 0
    fields = ["order", "idea", "measure", "final_recommendation", "published_at"]
    readonly_fields = ["final_recommendation", "published_at"]
    raw_id_fields = ["idea", "measure"]

    def _frozen(self, obj):
        return obj is not None and obj.frozen_at is not None

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    """Editors assemble a shortlist; once its window opens it is frozen for the board."""

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
    inlines = [ShortlistItemInline]
    readonly_fields = ["frozen_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.frozen_at:
            return ["call", "action_field", "title", "opens_at", "quorum", "frozen_at"]
        return ["frozen_at"]

    @admin.display(description=_("tally"))
    def tally_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("ideas:shortlist-tally", args=[obj.pk]), _("Tally")
        )

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if form.instance.frozen_at:
            return
        for item in formset.save(commit=False):
            if item.idea and item.idea.status not in (Status.QUALIFIED, Status.IN_MEASURE):
                self.message_user(
                    request,
                    _("%(reference)s is not qualified and was left out.")
                    % {"reference": item.idea.reference},
                    messages.WARNING,
                )
                continue
            item.save()
        for item in formset.deleted_objects:
            item.delete()
