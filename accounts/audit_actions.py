"""What the accounts' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry


def _counts(data: dict) -> str:
    return ", ".join(f"{name}: {count}" for name, count in data.items()) or _("nothing")


def _fields(data: dict) -> str:
    return _("Changed: %(fields)s") % {"fields": ", ".join(data.get("fields", []))}


registry.register("accounts.user.created", gettext_lazy("Account created by staff"))
registry.register("accounts.user.changed", gettext_lazy("Account changed by staff"), _fields)
registry.register(
    "accounts.user.profile_changed", gettext_lazy("Profile changed by its holder"), _fields
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
