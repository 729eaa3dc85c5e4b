"""What the accounts' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry


def _counts(data: dict) -> str:
    return ", ".join(f"{name}: {count}" for name, count in data.items()) or _("nothing")


registry.register(
    "accounts.user.erased", gettext_lazy("An account was deleted at its holder's request"), _counts
)
registry.register(
    "accounts.personal_data.purged",
    gettext_lazy("Personal data past its retention period removed"),
    _counts,
)
