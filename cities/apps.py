from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("City folders")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from . import audit_actions  # noqa: F401  (the audit actions)
