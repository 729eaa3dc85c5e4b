from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit import registry

registry.register("notices.subscription.ended", _("Subscription ended by staff"))
registry.register(
    "notices.notice.resent",
    _("Notices sent again by staff"),
    lambda data: (
        ngettext("%(count)d notice", "%(count)d notices", data["count"]) % {"count": data["count"]}
    ),
)
