"""What the legal pages' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry

registry.register("pages.page.created", gettext_lazy("Legal page created"))
registry.register(
    "pages.page.changed",
    gettext_lazy("Legal page changed"),
    lambda data: _("Changed: %(fields)s") % {"fields": ", ".join(data.get("fields", []))},
)
