"""What loading a city folder means in the audit log, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry

registry.register(
    "cities.city.loaded",
    gettext_lazy("City folder loaded"),
    lambda data: _("%(city)s: %(changes)d changes") % data,
)
