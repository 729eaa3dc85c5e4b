import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from . import services
from .forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required
@ratelimit(key="user", rate=lambda group, request: settings.MITMACHEN_DATA_EXPORT_RATE, block=True)
@require_http_methods(["GET"])
def data_export(request):
    """The account holder's download of all their data (after confirming their password)."""
    data = services.user_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mitmachen-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Confirm, then delete the account (after confirming the password)."""
    user = request.user
    refusal = services.user_erase_refusal(user)
    if request.method == "POST" and not refusal:
        services.user_erase(user=user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    context = {
        "refusal": refusal,
        "consequences": services.user_erase_consequences(user),
        "staff": user.is_staff or user.groups.exists(),
    }
    return render(
        request,
        "accounts/account_delete.html",
        context,
        status=403 if refusal and request.method == "POST" else 200,
    )
