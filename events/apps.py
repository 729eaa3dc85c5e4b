from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        # Registrations with the audit log, the outbox and the personal data registry.
        from django.db.models.signals import post_delete, post_save

        from halle_smartcity.page_cache import pages_changed

        from . import audit_actions, mail, panels, personal_data  # noqa: F401
        from .models import Event, Milestone

        # The home page shows where the process stands and the next events (panels).
        panels.connect()
        for model in (Event, Milestone):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
