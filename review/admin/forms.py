from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from fields.models import ActionField
from ideas.forms import LocationForm
from ideas.models import Channel, Idea, Status
from ideas.services import TEXT_FIELDS

from .. import selectors, workflow


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
    event = forms.ModelChoiceField(
        label=_("received at the event"), queryset=Event.objects.all(), required=False
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
            if value not in (Status.DRAFT, Status.SUBMITTED, *workflow.SPECIAL)
        ],
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PrimaryFieldForm(forms.Form):
    field = forms.ModelChoiceField(label=_("action field"), queryset=ActionField.objects.all())


class AssignForm(forms.Form):
    assessors = forms.ModelMultipleChoiceField(
        label=_("assessors"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = selectors.assessors()


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("reference of the original idea"), max_length=24)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
