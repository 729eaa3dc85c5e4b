from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import registry, selectors, services
from .forms import NoticeSettingsForm
from .models import Subscription
from .tokens import unsubscribe_read


def subscription_confirm(request, token):
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        services.subscription_confirm(token=token)
        messages.success(request, _("Your subscription is confirmed."))
        subject = subscription.subject
        return redirect(subject if hasattr(subject, "get_absolute_url") else "/")
    # Confirming needs a click: mail scanners that follow links must not subscribe anyone.
    return render(request, "notices/subscription_confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058 one-click unsubscribe: the mail client posts without a CSRF token
def unsubscribe(request, token):
    try:
        email, kind = unsubscribe_read(token)[:2]
    except signing.BadSignature:
        return render(request, "notices/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notices/unsubscribe_done.html", {"email": email})
    return render(
        request, "notices/unsubscribe.html", {"email": email, "kind": registry.label(kind)}
    )


@login_required
def notice_settings(request):
    form = NoticeSettingsForm(
        request.POST or None, initial={"kinds": selectors.kinds_wanted(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.notice_preferences_set(user=request.user, kinds_wanted=form.cleaned_data["kinds"])
        messages.success(request, _("Your notice settings have been saved."))
        return redirect("notices:settings")
    return render(request, "notices/notice_settings.html", {"form": form})
