from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link to confirm. You can unsubscribe at any time."),
    )


class NoticeSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me these notices"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read at request time: the apps register their kinds when Django starts.
        self.fields["kinds"].choices = [
            (kind.code, kind.label) for kind in registry.optional_kinds()
        ]
