"""What the legal pages' audit entries mean, in words staff read."""

from django.utils.translation import gettext_lazy

from audit import registry

from .models import Page

registry.register("pages.page.created", gettext_lazy("Legal page created"))
registry.register(
    "pages.page.changed",
    gettext_lazy("Legal page changed"),
    registry.changed_fields(Page),
)
