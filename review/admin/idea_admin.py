"""Triage of ideas: filters, the change form, analog intake and bulk actions, every change
through the review's services (audit entries included)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit import selectors as audit_selectors
from halle_smartcity.admin_access import AllowedBy
from halle_smartcity.admin_labels import LabelledTabularInline
from halle_smartcity.admin_refusals import RefusalPage, Refused
from halle_smartcity.spreadsheets import csv_response, xlsx_response
from ideas.intake import Arrival
from ideas.models import Call, Idea, IdeaImage, Status
from ideas.services import TEXT_FIELDS, idea_data_from_cleaned

from .. import assessments, exports, permissions, selectors, services
from .duplicates_admin import DuplicateSuggestionsMixin
from .filters import AssessorFilter, NeedsMyAssessmentFilter, QuarterFilter, ScoreFilter
from .forms import (
    AssignForm,
    DuplicateForm,
    IdeaChangeForm,
    IntakeForm,
    PrimaryFieldForm,
    StatusForm,
)
from .layout import CHANGE_FIELDSETS, INTAKE_FIELDSETS, SUBMITTER_FIELDS

SUBMITTER_ONLY = ("submitter_name", "submitter_email", "submitter_phone", "submitter_address")


class IdeaImageInline(LabelledTabularInline):
    model = IdeaImage
    extra = 0
    fields = ["preview", "alt_text", "order", "width", "height"]
    readonly_fields = ["preview", "width", "height"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("thumbnail"))
    def preview(self, image):
        # Through the image view, like every image: the files are not served otherwise.
        if not image.pk:
            return ""
        # The image is the link's only content, so its alt text names where the link goes.
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="160"></a>',
            reverse("ideas:image", args=[image.pk, "gross"]),
            reverse("ideas:image", args=[image.pk, "mittel"]),
            _("Open image %(number)s in full size") % {"number": image.order + 1},
        )


@admin.register(Idea)
class IdeaAdmin(DuplicateSuggestionsMixin, AllowedBy, RefusalPage, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_triage)
    list_display = [
        "reference",
        "title",
        "call",
        "primary_field",
        "status",
        "channel",
        "score",
        "knockout_failed",
        "assessment_count",
        "support_count",
        "submitted_at",
    ]
    list_filter = [
        "call",
        "primary_field",
        QuarterFilter,
        "status",
        "channel",
        ("receipt__event", admin.RelatedOnlyFieldListFilter),
        AssessorFilter,
        ScoreFilter,
        NeedsMyAssessmentFilter,
    ]
    list_select_related = ["call", "primary_field"]
    search_fields = ["reference", "title", "summary", "submitter_name"]
    date_hierarchy = "submitted_at"
    inlines = [IdeaImageInline]
    actions = [
        "change_status",
        "set_primary_field",
        "assign_assessors",
        "mark_duplicate",
        "publish_feedback",
        "export_csv",
        "export_xlsx",
    ]
    list_per_page = 50
    show_full_result_count = False

    # Drafts belong to their authors alone.
    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Status.DRAFT)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = IdeaChangeForm if obj else IntakeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return CHANGE_FIELDSETS if obj else INTAKE_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "reference",
            "call",
            "status",
            "primary_field",
            "duplicate_of",
            "score",
            "knockout_failed",
            "assessment_count",
            "criterion_summary",
            "similar_ideas",
            "feedback_published_at",
            *SUBMITTER_FIELDS,
            "audit_log",
        ]

    @admin.display(description=_("submitter"))
    def submitter(self, obj):
        if obj.author is None:
            return "–"
        name = f"{obj.author.first_name} {obj.author.last_name}".strip()
        return format_html(
            "{} &lt;{}&gt; ({})",
            name or obj.author.public_name,
            obj.author.email,
            obj.author.public_name,
        )

    @admin.display(description=_("received at the event"))
    def received_at_event(self, obj):
        receipt = getattr(obj, "receipt", None)
        return receipt.event if receipt else "–"

    @admin.display(description=_("audit log"))
    def audit_log(self, obj):
        entries = audit_selectors.entries_about(obj)
        if not entries:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} – {} – {}: {}</li>",
                (
                    (
                        timezone.localtime(entry.created_at).strftime("%d.%m.%Y %H:%M"),
                        audit_selectors.actor_label(entry),
                        audit_selectors.action_label(entry.action),
                        audit_selectors.entry_description(entry) or "–",
                    )
                    for entry in entries
                ),
            ),
        )

    @admin.display(description=_("scores per criterion"))
    def criterion_summary(self, obj):
        rows = selectors.idea_criterion_summary(idea=obj)
        if not rows:
            return "–"
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("criterion"),
            _("scores"),
            _("mean"),
            _("reasons"),
            format_html_join(
                "",
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        row["criterion"],
                        " ⚠" if row["disagreement"] else "",
                        ", ".join(map(str, row["values"])) or "–",
                        row["mean"] if row["mean"] is not None else "–",
                        " | ".join(row["reasons"]) or "–",
                    )
                    for row in rows
                ),
            ),
        )

    # --- Saving: every change through the services --------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                obj.pk = services.idea_intake(
                    call=data["call"],
                    by=request.user,
                    data=idea_data_from_cleaned(data, consent=True),
                    arrival=Arrival(
                        channel=data["channel"],
                        received_on=data["received_on"],
                        paper_consent=data["paper_consent"],
                        author=data.get("author"),
                        **{name: data[name] for name in SUBMITTER_ONLY},
                    ),
                    event=data.get("event"),
                ).pk
                return
            changes = {
                name: data[name] for name in (*TEXT_FIELDS, "whole_city", "latitude", "longitude")
            }
            idea = services.idea_edit_by_staff(
                idea=obj,
                by=request.user,
                changes=changes,
                expected_version=data["expected_version"],
            )
            services.idea_sorting_set(
                idea=idea,
                action_fields=data["action_fields"],
                quarters=data["quarters"],
                by=request.user,
            )
            if data["feedback"] != idea.feedback or data["publish_feedback"]:
                services.idea_feedback_set(
                    idea=idea,
                    text=data["feedback"],
                    by=request.user,
                    publish=data["publish_feedback"],
                )
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error

    def save_related(self, request, form, formsets, change):
        # Fields and quarters are saved by the services in save_model; here the images.
        for formset in formsets:
            changed = formset.save(commit=False)
            if changed or formset.deleted_objects:
                services.idea_images_edit(
                    idea=form.instance,
                    images=changed,
                    deleted=list(formset.deleted_objects),
                    by=request.user,
                )

    # --- Bulk actions, each through the services (audit entries included) ---

    def _intermediate(self, request, queryset, form, title, action):
        return TemplateResponse(
            request,
            "admin/review/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "ideas": queryset[:100],
                "count": queryset.count(),
                "action": action,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "opts": self.model._meta,
            },
        )

    def _report(self, request, changed, refused):
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d idea changed.", "%(count)d ideas changed.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )
        for idea, reason in refused[:20]:
            self.message_user(request, f"{idea.reference}: {reason}", messages.WARNING)

    @admin.action(description=_("Change status (with a reason)"))
    def change_status(self, request, queryset):
        form = StatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed, refused = services.ideas_transition(
                ideas=queryset,
                to=form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            self._report(request, changed, refused)
            return None
        return self._intermediate(request, queryset, form, _("Change status"), "change_status")

    @admin.action(description=_("Set the primary action field"))
    def set_primary_field(self, request, queryset):
        form = PrimaryFieldForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for idea in queryset:
                services.idea_set_primary_field(
                    idea=idea, field=form.cleaned_data["field"], by=request.user
                )
            self._report(request, queryset.count(), [])
            return None
        return self._intermediate(
            request, queryset, form, _("Set the primary action field"), "set_primary_field"
        )

    @admin.action(description=_("Assign assessors"))
    def assign_assessors(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                count = assessments.assessors_assign(
                    ideas=list(queryset),
                    assessors=list(form.cleaned_data["assessors"]),
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                ngettext("%(count)d assignment made.", "%(count)d assignments made.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        return self._intermediate(
            request, queryset, form, _("Assign assessors"), "assign_assessors"
        )

    @admin.action(description=_("Mark as duplicate of another idea"))
    def mark_duplicate(self, request, queryset):
        form = DuplicateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            original = Idea.objects.filter(reference=form.cleaned_data["original"].strip()).first()
            if original is None:
                self.message_user(request, _("No idea has this reference number."), messages.ERROR)
                return None
            refused = []
            for idea in queryset:
                try:
                    services.idea_mark_duplicate(
                        idea=idea,
                        original=original,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    refused.append((idea, " ".join(error.messages)))
            self._report(request, queryset.count() - len(refused), refused)
            return None
        return self._intermediate(
            request, queryset, form, _("Mark as duplicate"), "mark_duplicate"
        )

    @admin.action(description=_("Publish all held-back feedback of their calls"))
    def publish_feedback(self, request, queryset):
        count = 0
        for call in Call.objects.filter(pk__in=queryset.values("call_id")):
            count += services.call_feedback_publish(call=call, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d feedback text published.", "%(count)d feedback texts published.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _export(self, queryset):
        criteria = exports.criteria_for(queryset)
        return exports.idea_columns(criteria), exports.idea_rows(queryset, criteria)

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        header, rows = self._export(queryset)
        return csv_response(header, rows, filename=f"ideen-{timezone.localdate():%Y-%m-%d}.csv")

    @admin.action(description=_("Export as Excel (XLSX)"))
    def export_xlsx(self, request, queryset):
        header, rows = self._export(queryset)
        return xlsx_response(
            header,
            rows,
            filename=f"ideen-{timezone.localdate():%Y-%m-%d}.xlsx",
            sheet=str(_("Ideas")),
        )
