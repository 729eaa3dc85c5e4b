"""What the accounts' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry

from . import personal_data
from .models import User

# The accounts app's own count in an erasure (accounts.services.user_erase).
OWN_COUNTS = {"audit_entries": gettext_lazy("audit entries naming the person")}


def _count_label(name: str) -> str:
    return str(OWN_COUNTS[name]) if name in OWN_COUNTS else personal_data.count_label(name)


def _counts(data: dict) -> str:
    return ", ".join(f"{_count_label(name)}: {count}" for name, count in data.items()) or _(
        "nothing"
    )


registry.register("accounts.user.created", gettext_lazy("Account created by staff"))
registry.register(
    "accounts.user.changed",
    gettext_lazy("Account changed by staff"),
    registry.changed_fields(User),
)
registry.register(
    "accounts.user.profile_changed",
    gettext_lazy("Profile changed by its holder"),
    registry.changed_fields(User),
)
registry.register(
    "accounts.user.roles_changed",
    gettext_lazy("Roles changed"),
    lambda data: (
        _("added: %(added)s; removed: %(removed)s")
        % {
            "added": ", ".join(data.get("added", [])) or "–",
            "removed": ", ".join(data.get("removed", [])) or "–",
        }
    ),
)
registry.register(
    "accounts.user.erased", gettext_lazy("An account was deleted at its holder's request"), _counts
)
registry.register(
    "accounts.personal_data.purged",
    gettext_lazy("Personal data past its retention period removed"),
    _counts,
)
