from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Vote


class RecommendationForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Vote.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conflict_of_interest = forms.BooleanField(
        label=_("I have a conflict of interest on this item and take no part in its vote"),
        required=False,
    )

    def __init__(self, *args, instance_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed unless a conflict of interest is declared: not marked "optional".
        self.fields["vote"].required_to_submit = True
        if instance_values is not None:
            self.initial.update(
                vote=instance_values.vote,
                comment=instance_values.comment,
                conflict_of_interest=instance_values.conflict_of_interest,
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("vote") and not cleaned.get("conflict_of_interest"):
            self.add_error("vote", _("Please choose one of the options."))
        return cleaned
