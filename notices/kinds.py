"""The notices app's own kind: the confirmation of a subscription (double opt-in)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halle_smartcity.site import absolute_url

from . import registry
from .services import SUBSCRIPTION_CONFIRM


def _context(notice) -> dict:
    context = {"topic": notice.subject}
    if notice.subscription_id:
        context["confirm_url"] = absolute_url(
            reverse("notices:subscription-confirm", args=[notice.subscription.token])
        )
    return context


registry.register(
    registry.Kind(
        code=SUBSCRIPTION_CONFIRM,
        label=gettext_lazy("Confirm subscription"),
        template="notices/mail/subscription_confirm",
        subject=lambda notice: (
            _("Please confirm your subscription to “%(topic)s”") % {"topic": notice.subject}
        ),
        context=_context,
    )
)
