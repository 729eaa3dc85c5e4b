from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import pages_changed


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from fields.models import ActionField, District, Quarter

        # Registrations with the audit log, the outbox and the personal data registry.
        from . import audit_actions, models, notices, personal_data  # noqa: F401

        # Cached public pages go stale with any change to what they show.
        for model in (
            ActionField,
            District,
            Quarter,
            models.Call,
            models.CallExtension,
            models.Idea,
            models.IdeaImage,
        ):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
        for relation in (models.Idea.action_fields.through, models.Idea.quarters.through):
            m2m_changed.connect(
                pages_changed, sender=relation, dispatch_uid=f"pages-m2m-{relation.__name__}"
            )
