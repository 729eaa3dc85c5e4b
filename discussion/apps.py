from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        # Registrations with the audit log, the outbox, the personal data registry and the
        # idea page's sections.
        from . import (  # noqa: F401
            audit_actions,
            following_notices,
            notices,
            personal_data,
            sections,
        )
