from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import permissions, registry
from .models import Notice, Subscription
from .services import notices_resend, subscriptions_end


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            (kind.code, kind.label)
            for kind in registry.kinds()
            if permissions.can_see_kind(request.user, kind.code)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The notice log: what went out to whom, what failed, and a way to send again."""

    list_display = ["created_at", "kind_label", "email", "state", "attempts", "sent_at"]
    list_filter = ["state", KindFilter, "subject_type"]
    search_fields = ["email", "dedupe_key", "kind"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [field.name for field in Notice._meta.fields]
    show_full_result_count = False

    def get_queryset(self, request):
        # Kinds some staff may not see (who registered for which event) stay out of their log.
        return (
            super().get_queryset(request).exclude(kind__in=permissions.hidden_kinds(request.user))
        )

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A notice is read, never edited; "change" only allows the resend action.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def resend(self, request, queryset):
        count = notices_resend(notices=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d notice will be sent again.",
                "%(count)d notices will be sent again.",
                count,
            )
            % {"count": count},
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "subject_type",
        "subject_id",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["subject_type", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = [
        "subject_type",
        "subject_id",
        "token",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]

    actions = ["end"]

    def has_add_permission(self, request):
        return False  # people subscribe on the site, confirming their address

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # ended instead: the purge removes it after the retention period

    @admin.action(description=_("End subscriptions"), permissions=["change"])
    def end(self, request, queryset):
        count = subscriptions_end(subscriptions=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d subscription ended.", "%(count)d subscriptions ended.", count)
            % {"count": count},
        )
