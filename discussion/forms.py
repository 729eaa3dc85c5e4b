"""The discussion's forms. Every write form carries a honeypot (a field people never see
and bots fill in) and a time trap (a signed moment of rendering: a form sent back within
seconds was not filled in by a person). Neither asks anything of another host."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .comments import MAX_LENGTH

SALT = "discussion.form-started"
# A form older than this is still accepted (someone wrote for a long time); only the
# signature and the minimum matter.
MAX_AGE = 60 * 60 * 24


def started_token(moment: float | None = None) -> str:
    return signing.dumps(moment if moment is not None else time.time(), salt=SALT)


class TrapForm(forms.Form):
    # Named like a field bots like to fill; hidden from people and screen readers alike.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "kern-form-input__input"}
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your entry could not be accepted. Please try again."))
        try:
            started = signing.loads(cleaned.get("started") or "", salt=SALT, max_age=MAX_AGE)
        except (signing.BadSignature, TypeError):
            raise forms.ValidationError(
                _("The form has expired. Please reload the page and try again.")
            ) from None
        if time.time() - float(started) < settings.MITMACHEN_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very fast. Please check your entry and send it again.")
            )
        # A new moment for the form shown again.
        self.data = self.data.copy()
        self.data["started"] = started_token(float(started))
        return cleaned


class CommentForm(TrapForm):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        # Longer texts reach the service, which answers with their length; a browser limit
        # would cut a pasted text silently.
        widget=forms.Textarea(attrs={"rows": 4, "class": "kern-form-input__input"}),
        help_text=gettext_lazy(
            "Plain text, at most 5,000 characters. Links become clickable. Please keep to the "
            "netiquette."
        ),
        max_length=MAX_LENGTH * 40,
        strip=False,
        # An empty text is answered by the service, in its own words.
        required=False,
    )
    official = forms.BooleanField(
        label=gettext_lazy("Official answer of the city"), required=False
    )

    def __init__(self, *args, may_answer_officially: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL and other control characters are removed by the service (comments.text_clean)
        # rather than refusing a pasted text for what nobody can see.
        self.fields["text"].validators = [
            validator
            for validator in self.fields["text"].validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
        if not may_answer_officially:
            del self.fields["official"]


class ReportForm(TrapForm):
    reason = forms.CharField(
        label=gettext_lazy("Why should the editors look at this?"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "kern-form-input__input"}),
        max_length=2000,
    )
