"""The personal invitation link: whoever holds it sees the invitation and accepts or
declines it, without an account. GET only shows; the answer is a POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .invitations import InvitationInvalid, invitation_answer, invitation_by_token


def _invalid(request, error: InvitationInvalid):
    status = 404 if error.code == "unknown" else 410
    return render(
        request, "measures/invitation_invalid.html", {"reason": error.messages[0]}, status=status
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        found = invitation_by_token(token)
    except InvitationInvalid as error:
        return _invalid(request, error)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Please choose whether you will come."))
        else:
            try:
                answered = invitation_answer(token=token, accept=answer == "accept")
            except InvitationInvalid as error:
                return _invalid(request, error)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if answered.registration is not None:
                    messages.success(request, _("Thank you: you are registered."))
                    return redirect(
                        "events:registration-manage", token=answered.registration.token
                    )
                return render(
                    request, "measures/invitation_declined.html", {"invitation": answered}
                )
    return render(request, "measures/invitation.html", {"invitation": found})
