import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fields.models import ActionField, Quarter

from .geo import parse_coordinate
from .images import ProcessedImage, image_process
from .models import Idea
from .services import (
    TEXT_FIELDS,
    IdeaData,
    idea_data_from_cleaned,
    idea_field_errors,
    idea_location_errors,
    idea_missing,
)

ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files in one input; each is checked and re-encoded on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_IMAGE_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > settings.MITMACHEN_MAX_IMAGES:
            # Refused before decoding: each image costs real CPU and memory.
            raise ValidationError(
                _("An idea can have at most %(count)d images.")
                % {"count": settings.MITMACHEN_MAX_IMAGES}
            )
        errors, processed = [], []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                processed.append(image_process(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return processed


def _coordinate_input(example: str) -> forms.TextInput:
    # Text, not type=number: a comma as decimal separator must be accepted.
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": example, "size": 12}
    )


class LocationForm(forms.Form):
    """The optional location of an idea as two plain inputs; with JavaScript a map fills them.
    Mixed into the citizen's idea form and the staff intake."""

    MAX_INPUT_LENGTH = 30

    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        strip=True,
        widget=_coordinate_input("51.4828"),
        help_text=_("Degrees north as a decimal number, e.g. 51.4828."),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        strip=True,
        widget=_coordinate_input("11.9697"),
        help_text=_("Degrees east as a decimal number, e.g. 11.9697."),
    )

    def _location_initial(self, instance) -> None:
        if instance is not None and instance.pk and instance.has_location:
            for name in ("latitude", "longitude"):
                self.initial[name] = f"{getattr(instance, name).normalize():f}"

    def _clean_coordinate(self, name: str, *, low: float, high: float):
        raw = self.cleaned_data.get(name) or ""
        if not raw:
            return None
        if len(raw) > self.MAX_INPUT_LENGTH:
            raise ValidationError(_("Enter a number such as 51.4828."))
        try:
            return parse_coordinate(raw, low=low, high=high)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean_latitude(self):
        return self._clean_coordinate("latitude", low=-90, high=90)

    def clean_longitude(self):
        return self._clean_coordinate("longitude", low=-180, high=180)

    def clean_location(self) -> None:
        """Both or neither, inside the city (call from clean())."""
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        for name, message in idea_location_errors(
            latitude=self.cleaned_data.get("latitude"),
            longitude=self.cleaned_data.get("longitude"),
        ).items():
            self.add_error(name, message)


class QuarterChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


# Needed to submit, not to save a draft: shown without the "optional" mark.
REQUIRED_TO_SUBMIT = [
    "title",
    "summary",
    "description",
    "problem",
    "benefit",
    "action_fields",
    "primary_field",
    "consent",
]


class IdeaForm(LocationForm, forms.ModelForm):
    """The citizen's idea form. `intent` is "save" (a draft, may be incomplete) or "submit"."""

    action_fields = forms.ModelMultipleChoiceField(
        label=_("Action fields"),
        queryset=ActionField.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("One to four fields your idea belongs to."),
    )
    primary_field = forms.ModelChoiceField(
        label=_("Primary action field"),
        queryset=ActionField.objects.active(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
        help_text=_("The field your idea belongs to most."),
    )
    quarters = QuarterChoiceField(
        label=_("Quarters"),
        queryset=Quarter.objects.filter(active=True)
        .select_related("district")
        .order_by("district__order", "district__name", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Where in the city your idea would take effect."),
    )
    images = MultipleImageField(label=_("Images"), required=False)
    remove_images = forms.ModelMultipleChoiceField(
        label=_("Remove images"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my idea will be processed as "
            "described there."
        ),
        required=False,
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Idea
        fields = [*TEXT_FIELDS, "whole_city", "wants_workshop"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "benefit": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "whole_city": _("My idea concerns the whole city"),
            "wants_workshop": _("I would like to take part in a workshop on my idea"),
        }
        help_texts = {
            "title": _("At most 120 characters."),
            "summary": _("At most 500 characters. Shown in the list of ideas."),
            "target_groups": _("For example: pupils, older people, commuters."),
        }

    def quarter_groups(self) -> list[tuple[str, list]]:
        """The quarters' checkboxes by district (Stadtbezirk), in the districts' order: 42
        boxes in one column were too many to scan on a phone."""
        groups: dict[str, list] = {}
        for choice in self["quarters"].subwidgets:
            groups.setdefault(choice.data["value"].instance.district.name, []).append(choice)
        return list(groups.items())

    def __init__(self, *args, intent: str = "save", **kwargs):
        super().__init__(*args, **kwargs)
        self.intent = intent
        instance = self.instance
        if instance.pk:
            self.fields["remove_images"].queryset = instance.images.all()
            self.initial.setdefault("action_fields", list(instance.action_fields.all()))
            self.initial.setdefault("quarters", list(instance.quarters.all()))
            self.initial.setdefault("primary_field", instance.primary_field)
            self._location_initial(instance)
            if instance.consent_at:
                # Consent is on record; it cannot be withdrawn by unticking the box here.
                self.fields["consent"].disabled = True
                self.initial["consent"] = True
        else:
            del self.fields["remove_images"]
            self.initial.setdefault("form_token", uuid.uuid4())
        self.fields["title"].required = True
        self.fields["images"].help_text = _(
            "Up to %(count)d images (JPEG, PNG or WebP, at most %(megabytes)d MB and "
            "%(megapixels)d megapixels each). Location data and other metadata are removed."
        ) % {
            "count": settings.MITMACHEN_MAX_IMAGES,
            "megabytes": settings.MITMACHEN_MAX_UPLOAD_BYTES // (1024 * 1024),
            "megapixels": settings.MITMACHEN_MAX_IMAGE_PIXELS // 1_000_000,
        }
        for name in REQUIRED_TO_SUBMIT:
            self.fields[name].required_to_submit = True

    def add_submit_errors(self) -> None:
        """On a failed submit, name everything still missing, not only the first error."""
        if self.intent != "submit":
            return
        for name, message in self.submit_errors().items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)

    def clean(self):
        cleaned = super().clean()
        for name, message in idea_field_errors(
            action_fields=list(cleaned.get("action_fields") or []),
            primary_field=cleaned.get("primary_field"),
        ).items():
            self.add_error(name, message)
        self.clean_location()
        existing = self.instance.images.count() if self.instance.pk else 0
        removed = len(cleaned.get("remove_images") or [])
        added = len(cleaned.get("images") or [])
        if existing - removed + added > settings.MITMACHEN_MAX_IMAGES:
            self.add_error(
                "images",
                _("An idea can have at most %(count)d images.")
                % {"count": settings.MITMACHEN_MAX_IMAGES},
            )
        return cleaned

    def submit_errors(self) -> dict[str, str]:
        """What is missing for a submission, given a form that is valid as a draft."""
        return idea_missing(
            self.idea_data(), consent_recorded=self.instance.consent_at is not None
        )

    def idea_data(self) -> IdeaData:
        return idea_data_from_cleaned(
            self.cleaned_data, consent=bool(self.cleaned_data.get("consent"))
        )

    def new_images(self) -> list[ProcessedImage]:
        return self.cleaned_data.get("images") or []

    def removed_image_ids(self) -> list[int]:
        return [image.pk for image in self.cleaned_data.get("remove_images") or []]
