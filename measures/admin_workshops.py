"""Recording what a workshop made of each idea: outcome, photo, next step, measure."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from halle_smartcity.admin_access import AllowedBy
from halle_smartcity.admin_refusals import RefusalPage, Refused
from ideas.images import image_process
from ideas.models import Idea

from . import permissions
from .admin_picker import idea_label
from .models import WorkshopResult
from .workshops import workshop_result_save


class InvitedIdeaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return idea_label(obj)


class WorkshopResultForm(forms.ModelForm):
    idea = InvitedIdeaField(
        label=_("idea"),
        queryset=Idea.objects.none(),
        help_text=_("Ideas whose givers were invited to a workshop."),
    )
    photo_upload = forms.FileField(
        label=_("photo of the results"),
        required=False,
        help_text=_("JPEG, PNG or WebP; location data is removed."),
    )

    class Meta:
        model = WorkshopResult
        fields = ["idea", "event", "outcome", "next_step", "measure", "photo_alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = (
            Idea.objects.filter(invitations__isnull=False)
            .distinct()
            .select_related("primary_field")
            .order_by("reference")
        )

    def clean_photo_upload(self):
        # The same checks as idea images (raise in German); the re-encoded image goes on to
        # the service, so the upload is decoded once.
        upload = self.cleaned_data.get("photo_upload")
        return image_process(upload) if upload else None


@admin.register(WorkshopResult)
class WorkshopResultAdmin(AllowedBy, RefusalPage, admin.ModelAdmin):
    allowed = staticmethod(permissions.can_manage_measures)
    form = WorkshopResultForm
    list_display = ["idea", "event", "measure", "recorded_at"]
    list_filter = ["event"]
    search_fields = ["idea__reference", "idea__title"]
    list_select_related = ["idea", "event", "measure"]

    def save_model(self, request, obj, form, change):
        try:
            workshop_result_save(
                result=obj, by=request.user, photo=form.cleaned_data.get("photo_upload")
            )
        except (ValidationError, PermissionDenied) as error:
            raise Refused(error) from error
