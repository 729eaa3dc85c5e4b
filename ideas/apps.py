from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        # Registrations with the audit log, the outbox and the personal data registry.
        from . import audit_actions, notices, page_tags, personal_data  # noqa: F401

        # Cached public pages go stale with a change to what they show.
        page_tags.connect()
