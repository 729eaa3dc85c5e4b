from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from halle_smartcity.forms import add_service_errors


class AssessmentForm(forms.Form):
    """One score and one reason per criterion of the catalogue, and an overall comment."""

    comment = forms.CharField(
        label=_("Overall reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        given = {}
        if assessment is not None:
            given = {score.criterion_id: score for score in assessment.scores.all()}
            self.initial["comment"] = assessment.comment
        for criterion in criteria:
            if criterion.knockout:
                choices = [("", _("– not yet –")), ("1", _("met")), ("0", _("not met"))]
            else:
                choices = [("", _("– not yet –"))] + [
                    (str(value), str(value))
                    for value in range(criterion.scale_min, criterion.scale_max + 1)
                ]
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=str(criterion),
                choices=choices,
                required=False,
                help_text=criterion.description,
            )
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Reason: %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if criterion.pk in given:
                self.initial[f"score_{criterion.pk}"] = str(given[criterion.pk].value)
                self.initial[f"reason_{criterion.pk}"] = given[criterion.pk].reason
        self.order_fields(
            [
                name
                for criterion in criteria
                for name in (f"score_{criterion.pk}", f"reason_{criterion.pk}")
            ]
            + ["comment"]
        )

    def values(self) -> dict[int, tuple[int | None, str]]:
        values = {}
        for criterion in self.criteria:
            raw = self.cleaned_data.get(f"score_{criterion.pk}")
            values[criterion.pk] = (
                int(raw) if raw not in (None, "") else None,
                self.cleaned_data.get(f"reason_{criterion.pk}", ""),
            )
        return values

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)
