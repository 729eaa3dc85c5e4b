from django import forms
from django.utils.translation import gettext_lazy as _

from ideas.filters import IdeaFilterForm


class RegistrationForm(forms.Form):
    """Registering for an event: an account holder gives a name for the participant list,
    anyone else a name and an email address (confirmed by a link, double opt-in)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("For the participant list at the door. It is never shown publicly."),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We send you a link to confirm your registration, and later the details and a "
            "link to cancel."
        ),
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        if account is not None:
            # The account's verified address is used; only the name is asked for.
            del self.fields["email"]
            self.fields["name"].initial = account.display_name


class CancelEventForm(forms.Form):
    """Staff cancel an event (admin)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to everyone with a place or on the waiting list, and shown publicly."),
    )


class EventFilterForm(IdeaFilterForm):
    pass
