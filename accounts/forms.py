from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        help_text=_(
            "Shown publicly with your ideas. Do not use your real name if you prefer not to."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if User.objects.filter(display_name__iexact=name).exists():
            raise forms.ValidationError(_("This display name is already taken."))
        return name

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.language = getattr(request, "LANGUAGE_CODE", "de")[:2]
        user.save(update_fields=["display_name", "language"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "language"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        taken = User.objects.filter(display_name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This display name is already taken."))
        return name
