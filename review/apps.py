from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        # Registrations with the audit log, the outbox and the personal data registry.
        from . import audit_actions, notices, personal_data  # noqa: F401
