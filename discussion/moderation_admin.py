"""The moderation queue: comments (filter by state, open reports, call), reports and blocks.
Every change goes through discussion.moderation, so it is audited and the author told."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy

from . import moderation, permissions
from .models import Block, Comment, Report, ReportState


class CommentStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("reported", _("With open reports")),
            ("pending", _("Awaiting approval")),
            ("hidden", _("Hidden")),
            ("deleted", _("Deleted by the author")),
            ("visible", _("Visible")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "reported":
            return queryset.filter(reports__state=ReportState.OPEN).distinct()
        if value == "pending":
            return queryset.filter(pending=True)
        if value == "hidden":
            return queryset.filter(hidden_at__isnull=False)
        if value == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        if value == "visible":
            return queryset.filter(pending=False, hidden_at__isnull=True, deleted_at__isnull=True)
        return queryset


class ModerationForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            ("", "–"),
            ("hide", _("Hide (the author is told the reason)")),
            ("restore", _("Show again")),
            ("approve", _("Approve (pre-moderation)")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    class Meta:
        model = Comment
        fields = []

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in ("hide", "restore")
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Please give a reason."))
        return cleaned


@admin.register(Comment)
class CommentAdmin(AllowedBy, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_moderate)
    form = ModerationForm
    list_display = ["excerpt", "idea", "author_name", "created_at", "state", "open_reports"]
    list_filter = [CommentStateFilter, "official", "idea__call"]
    list_select_related = ["idea", "author"]
    search_fields = ["text", "idea__reference", "idea__title"]
    readonly_fields = [
        "idea",
        "parent",
        "author_name",
        "text",
        "official",
        "pending",
        "created_at",
        "edited_at",
        "deleted_at",
        "hidden_at",
        "hidden_reason",
        "reports_list",
    ]
    fields = [*readonly_fields, "decision", "reason"]
    actions = ["approve"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__state="open")))
        )

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, comment) -> str:
        return (comment.text[:80] + "…") if len(comment.text) > 80 else comment.text or "–"

    @admin.display(description=_("author"))
    def author_name(self, comment) -> str:
        return comment.author.public_name if comment.author else str(_("Former member"))

    @admin.display(description=_("state"))
    def state(self, comment) -> str:
        if comment.is_deleted:
            return str(_("Deleted by the author"))
        if comment.is_hidden:
            return str(_("Hidden"))
        if comment.pending:
            return str(_("Awaiting approval"))
        return str(_("Visible"))

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, comment) -> int:
        return comment.open_report_count

    @admin.display(description=_("reports"))
    def reports_list(self, comment) -> str:
        reports = comment.reports.order_by("created_at")
        return "; ".join(f"{r.get_state_display()}: {r.reason}" for r in reports) or "–"

    def save_model(self, request, obj, form, change):
        decision, reason = form.cleaned_data.get("decision"), form.cleaned_data.get("reason")
        try:
            if decision == "hide":
                moderation.comment_hide(comment=obj, by=request.user, reason=reason)
            elif decision == "restore":
                moderation.comment_restore(comment=obj, by=request.user, reason=reason)
            elif decision == "approve":
                moderation.comment_approve(comment=obj, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))

    def save_related(self, request, form, formsets, change):
        pass

    @admin.action(description=_("Approve the selected comments"))
    def approve(self, request, queryset):
        for comment in queryset.filter(pending=True):
            moderation.comment_approve(comment=comment, by=request.user)


@admin.register(Report)
class ReportAdmin(AllowedBy, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_moderate)
    list_display = ["__str__", "reason", "created_at", "state"]
    list_filter = ["state", ("comment", admin.EmptyFieldListFilter), "idea__call"]
    list_select_related = ["comment__idea", "idea"]
    readonly_fields = ["idea", "comment", "reason", "state", "created_at", "resolved_at"]
    fields = readonly_fields
    actions = ["dismiss"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Dismiss the selected reports (the content stays)"))
    def dismiss(self, request, queryset):
        for report in queryset:
            moderation.report_dismiss(report=report, by=request.user)


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = ["user", "until", "reason"]

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("The block must end in the future."))
        return until


@admin.register(Block)
class BlockAdmin(AllowedBy, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_moderate)
    form = BlockForm
    list_display = ["user", "until", "reason", "created_at"]
    raw_id_fields = ["user"]
    actions = ["end_now"]

    def has_change_permission(self, request, obj=None):
        return obj is None and permissions.can_moderate(request.user)

    def save_model(self, request, obj, form, change):
        try:
            moderation.block_create(
                user=obj.user, until=obj.until, reason=obj.reason, by=request.user
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))

    @admin.action(description=_("End the selected blocks now"))
    def end_now(self, request, queryset):
        for block in queryset:
            moderation.block_end(block=block, by=request.user)
