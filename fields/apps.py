from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldsConfig(AppConfig):
    name = "fields"
    verbose_name = _("Action fields and quarters")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from . import audit_actions, checks  # noqa: F401  (the audit actions, the system check)
