"""The staff's working place: triage of ideas, the criteria catalogue and measures."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from fields.models import ActionField, Quarter

from . import assessments, exports, triage
from .forms import LocationForm
from .models import (
    AuditEntry,
    Call,
    Channel,
    CriteriaCatalogue,
    Criterion,
    Idea,
    IdeaImage,
    Measure,
    Status,
)
from .services import TEXT_FIELDS, idea_data_from_cleaned, images_delete


def assessor_queryset():
    return get_user_model().objects.filter(groups__name=Role.ASSESSOR, is_active=True)


# --- Filters ----------------------------------------------------------------------------------


class AssessorFilter(admin.SimpleListFilter):
    title = _("assessor")
    parameter_name = "assessor"

    def lookups(self, request, model_admin):
        return [(str(user.pk), user.public_name) for user in assessor_queryset()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(assignments__assessor_id=int(self.value()))
        return queryset


class ScoreFilter(admin.SimpleListFilter):
    title = _("weighted score")
    parameter_name = "score"
    RANGES = {"lt2": (None, 2), "2to3": (2, 3), "3to4": (3, 4), "ge4": (4, None)}

    def lookups(self, request, model_admin):
        return [
            ("none", _("not assessed")),
            ("lt2", "< 2"),
            ("2to3", "2 – 3"),
            ("3to4", "3 – 4"),
            ("ge4", "≥ 4"),
            ("ko", _("knock-out failed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(score__isnull=True)
        if value == "ko":
            return queryset.filter(knockout_failed=True)
        if value in self.RANGES:
            low, high = self.RANGES[value]
            if low is not None:
                queryset = queryset.filter(score__gte=low)
            if high is not None:
                queryset = queryset.filter(score__lt=high)
        return queryset


class NeedsMyAssessmentFilter(admin.SimpleListFilter):
    title = _("my assessments")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("open", _("needs my assessment"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(
                assignments__assessor=request.user, assignments__recused_at__isnull=True
            ).exclude(
                assignments__assessment__submitted_at__isnull=False,
                assignments__assessor=request.user,
            )
        return queryset


class QuarterFilter(admin.SimpleListFilter):
    title = _("quarter")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        return [(quarter.code, str(quarter)) for quarter in Quarter.objects.filter(active=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(quarters__code=self.value())
        return queryset


# --- Forms ------------------------------------------------------------------------------------


# Who handed an idea in and how: shown to editors, never changed in the change form.
SUBMITTER_FIELDS = (
    "submitter",
    "channel",
    "received_on",
    "event",
    "entered_by",
    "paper_consent",
    "submitter_name",
    "submitter_email",
    "submitter_phone",
    "submitter_address",
    "wants_workshop",
    "consent_at",
    "consent_version",
)


class IdeaChangeForm(LocationForm, forms.ModelForm):
    """Staff edit an idea; `version` catches a second editor's save in between."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    publish_feedback = forms.BooleanField(label=_("Publish the feedback now"), required=False)

    class Meta:
        model = Idea
        fields = [*TEXT_FIELDS, "whole_city", "action_fields", "quarters", "feedback"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["expected_version"] = self.instance.version
        self._location_initial(self.instance)

    def clean(self):
        cleaned = super().clean()
        self.clean_location()
        current = Idea.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        if cleaned.get("expected_version") != next(iter(current), None):
            raise ValidationError(
                _(
                    "Someone else has changed this idea in the meantime. Please reload it and "
                    "check the changes before you save again."
                )
            )
        return cleaned


class IntakeForm(LocationForm, forms.ModelForm):
    """An idea that arrived on paper, by post, by phone or at an event."""

    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
    )
    author = forms.ModelChoiceField(
        label=_("citizen account (optional)"),
        queryset=get_user_model().objects.all(),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "ID"}),
    )

    class Meta:
        model = Idea
        fields = [
            "call",
            "title",
            "summary",
            "description",
            "problem",
            "benefit",
            "target_groups",
            "primary_field",
            "action_fields",
            "whole_city",
            "quarters",
            "channel",
            "received_on",
            "event",
            "paper_consent",
            "submitter_name",
            "submitter_email",
            "submitter_phone",
            "submitter_address",
            "wants_workshop",
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("paper_consent"):
            self.add_error(
                "paper_consent", _("Without the submitter's consent the idea cannot be entered.")
            )
        call, received = cleaned.get("call"), cleaned.get("received_on")
        if call and received and received > timezone.localdate(call.deadline):
            self.add_error("received_on", _("The idea arrived after the deadline."))
        if not cleaned.get("quarters") and not cleaned.get("whole_city"):
            self.add_error("quarters", _("Choose at least one quarter, or “whole city”."))
        self.clean_location()
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("new status"),
        choices=[
            (value, label)
            for value, label in Status.choices
            if value not in (Status.DRAFT, Status.SUBMITTED, *triage.SPECIAL)
        ],
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PrimaryFieldForm(forms.Form):
    field = forms.ModelChoiceField(label=_("action field"), queryset=ActionField.objects.all())


class AssignForm(forms.Form):
    assessors = forms.ModelMultipleChoiceField(
        label=_("assessors"),
        queryset=assessor_queryset(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = assessor_queryset()


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("reference of the original idea"), max_length=24)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --- The idea admin ---------------------------------------------------------------------------


class IdeaImageInline(admin.TabularInline):
    model = IdeaImage
    extra = 0
    fields = ["thumbnail", "alt_text", "order", "width", "height"]
    readonly_fields = ["thumbnail", "width", "height"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
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
        "submitted_at",
    ]
    list_filter = [
        "call",
        "primary_field",
        QuarterFilter,
        "status",
        "channel",
        "event",
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

    def has_module_permission(self, request):
        return triage.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return triage.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return triage.is_editor(request.user)

    def has_add_permission(self, request):
        return triage.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = IdeaChangeForm if obj else IntakeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (
                    None,
                    {
                        "fields": (
                            "call",
                            "channel",
                            "received_on",
                            "event",
                            "paper_consent",
                            "author",
                            "wants_workshop",
                        )
                    },
                ),
                (
                    _("Submitter (internal)"),
                    {
                        "fields": (
                            "submitter_name",
                            "submitter_email",
                            "submitter_phone",
                            "submitter_address",
                        )
                    },
                ),
                (
                    _("The idea"),
                    {
                        "fields": (
                            "title",
                            "summary",
                            "description",
                            "problem",
                            "benefit",
                            "target_groups",
                        )
                    },
                ),
                (
                    _("Sorting"),
                    {"fields": ("primary_field", "action_fields", "whole_city", "quarters")},
                ),
                (_("Location (optional)"), {"fields": ("latitude", "longitude")}),
            )
        return (
            (
                None,
                {
                    "fields": (
                        "reference",
                        "call",
                        "status",
                        "expected_version",
                        "title",
                        "summary",
                        "description",
                        "problem",
                        "benefit",
                        "target_groups",
                    )
                },
            ),
            (
                _("Sorting"),
                {
                    "fields": (
                        "primary_field",
                        "action_fields",
                        "quarters",
                        "whole_city",
                        "latitude",
                        "longitude",
                        "similar_ideas",
                        "duplicate_of",
                    )
                },
            ),
            (
                _("Assessment"),
                {"fields": ("score", "knockout_failed", "assessment_count", "criterion_summary")},
            ),
            (_("Feedback"), {"fields": ("feedback", "publish_feedback", "feedback_published_at")}),
            (
                _("Submitter (internal)"),
                {"fields": SUBMITTER_FIELDS},
            ),
            (_("Audit log"), {"fields": ("audit_log",)}),
        )

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

    @admin.display(description=_("audit log"))
    def audit_log(self, obj):
        entries = obj.audit_entries.select_related("actor").order_by("-created_at")[:100]
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
                        entry.actor.public_name if entry.actor else "–",
                        entry.action,
                        ", ".join(f"{key}={value}" for key, value in entry.data.items()),
                    )
                    for entry in entries
                ),
            ),
        )

    @admin.display(description=_("similar ideas"))
    def similar_ideas(self, obj):
        rows = triage.similar_ideas(idea=obj)
        if not rows:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{} {}</a> ({}%)</li>',
                (
                    (
                        reverse("admin:ideas_idea_change", args=[other.pk]),
                        other.reference,
                        other.title,
                        round(similarity * 100),
                    )
                    for other, similarity in rows
                ),
            ),
        )

    @admin.display(description=_("scores per criterion"))
    def criterion_summary(self, obj):
        rows = assessments.idea_criterion_summary(idea=obj)
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

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                data = form.cleaned_data
                obj.pk = triage.idea_intake(
                    call=data["call"],
                    by=request.user,
                    data=idea_data_from_cleaned(data, consent=True),
                    channel=data["channel"],
                    received_on=data["received_on"],
                    paper_consent=data["paper_consent"],
                    author=data.get("author"),
                    submitter_name=data["submitter_name"],
                    submitter_email=data["submitter_email"],
                    submitter_phone=data["submitter_phone"],
                    submitter_address=data["submitter_address"],
                    event=data.get("event"),
                ).pk
                return
            data = form.cleaned_data
            expected = data["expected_version"]
            texts = {
                name: data[name] for name in (*TEXT_FIELDS, "whole_city", "latitude", "longitude")
            }
            idea = triage.idea_edit_by_staff(
                idea=obj, by=request.user, changes=texts, expected_version=expected
            )
            if set(data["action_fields"]) != set(idea.action_fields.all()) or set(
                data["quarters"]
            ) != set(idea.quarters.all()):
                idea.action_fields.set(data["action_fields"])
                idea.quarters.set(data["quarters"])
                if idea.primary_field and idea.primary_field not in data["action_fields"]:
                    idea.action_fields.add(idea.primary_field)
                triage.audit(action="ideas.idea.sorting_changed", by=request.user, idea=idea)
            if data["feedback"] != idea.feedback or data["publish_feedback"]:
                triage.idea_feedback_set(
                    idea=idea,
                    text=data["feedback"],
                    by=request.user,
                    publish=data["publish_feedback"],
                )
        except ValidationError as error:
            # The form is shown again by save_related's guard below; nothing was changed.
            raise _Refused(error) from error

    def save_related(self, request, form, formsets, change):
        # Fields and quarters are saved by the services in save_model; only inlines here.
        for formset in formsets:
            instances = formset.save(commit=False)
            images_delete(images=formset.deleted_objects)
            for instance in instances:
                instance.save()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            self.message_user(request, " ".join(refused.error.messages), messages.ERROR)
            return TemplateResponse(
                request,
                "admin/ideas/refused.html",
                {
                    "title": _("Not saved"),
                    "messages_text": refused.error.messages,
                    "back": request.get_full_path(),
                },
                status=409,
            )

    # --- Bulk actions, each through the services (audit entries included) ---

    def _intermediate(self, request, queryset, form, title, action):
        return TemplateResponse(
            request,
            "admin/ideas/action_form.html",
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
                request, _("%(count)d ideas changed.") % {"count": changed}, messages.SUCCESS
            )
        for idea, reason in refused[:20]:
            self.message_user(request, f"{idea.reference}: {reason}", messages.WARNING)

    @admin.action(description=_("Change status (with a reason)"))
    def change_status(self, request, queryset):
        form = StatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed, refused = triage.ideas_transition(
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
                triage.idea_set_primary_field(
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
                request, _("%(count)d assignments made.") % {"count": count}, messages.SUCCESS
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
                    triage.idea_mark_duplicate(
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
            count += triage.call_feedback_publish(call=call, by=request.user)
        self.message_user(
            request, _("%(count)d feedback texts published.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(
            exports.csv_stream(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="ideen-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        return response

    @admin.action(description=_("Export as Excel (XLSX)"))
    def export_xlsx(self, request, queryset):
        return FileResponse(
            exports.xlsx_file(queryset),
            as_attachment=True,
            filename=f"ideen-{timezone.localdate():%Y-%m-%d}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class _Refused(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.error = error


# --- Criteria catalogue -----------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "description",
        "weight",
        "knockout",
        "scale_min",
        "scale_max",
    ]

    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaCatalogue)
class CriteriaCatalogueAdmin(admin.ModelAdmin):
    list_display = ["call", "version", "threshold", "frozen"]
    list_filter = ["call"]
    inlines = [CriterionInline]
    actions = ["new_version"]

    @admin.display(boolean=True, description=_("frozen"))
    def frozen(self, obj):
        return obj.is_frozen

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return ["call", "version", "threshold"]
        return ["version"] if obj else []

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            latest = obj.call.catalogues.order_by("-version").first()
            obj.version = latest.version + 1 if latest else 1
        super().save_model(request, obj, form, change)
        triage.audit(
            action="ideas.catalogue.saved", by=request.user, call=obj.call, version=obj.version
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in assessments.catalogue_errors(list(form.instance.criteria.all())):
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=_("Make a new, editable version"))
    def new_version(self, request, queryset):
        for catalogue in queryset:
            copy = assessments.catalogue_new_version(catalogue=catalogue, by=request.user)
            self.message_user(
                request,
                _("Version %(version)d created.") % {"version": copy.version},
                messages.SUCCESS,
            )


# --- Measures ---------------------------------------------------------------------------------


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "call",
            "title",
            "slug",
            "description",
            "action_fields",
            "lead_department",
            "ideas",
            "published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ideas = Idea.objects.filter(status__in=[Status.QUALIFIED, Status.IN_MEASURE])
        if self.instance.pk:
            ideas = ideas.filter(call=self.instance.call)
        self.fields["ideas"].queryset = ideas
        self.fields["ideas"].help_text = _("Only qualified ideas can join a measure.")


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    form = MeasureForm
    list_display = ["title", "call", "lead_department", "published"]
    list_filter = ["call", "published", "action_fields"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["ideas", "action_fields"]

    def save_related(self, request, form, formsets, change):
        wanted = list(form.cleaned_data["ideas"])
        form.cleaned_data["ideas"] = list(form.instance.ideas.all()) if change else []
        super().save_related(request, form, formsets, change)
        current = set(form.instance.ideas.all())
        new = [idea for idea in wanted if idea not in current]
        if new:
            triage.measure_add_ideas(measure=form.instance, ideas=new, by=request.user)
        gone = [idea for idea in current if idea not in wanted]
        if gone:
            triage.measure_remove_ideas(measure=form.instance, ideas=gone, by=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "idea", "call", "actor"]
    list_filter = ["action", "call"]
    search_fields = ["idea__reference", "action"]
    list_select_related = ["idea", "call", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
