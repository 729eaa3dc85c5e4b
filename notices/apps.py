from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from halle_smartcity import metrics as site_metrics

        from . import (  # noqa: F401  (registrations)
            audit_actions,
            kinds,
            personal_data,
        )
        from .metrics import OutboxCollector

        site_metrics.register(OutboxCollector())
