from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import idea_tag, pages_changed, tags_bump


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Advisory board")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        # Registrations with the audit log, the outbox, the idea page and personal data.
        from . import audit_actions, notices, personal_data, sections  # noqa: F401
        from .models import ShortlistItem

        # A published recommendation shows on the idea's public page (and nowhere else).
        post_save.connect(item_changed, sender=ShortlistItem, dispatch_uid="pages-ShortlistItem")
        post_delete.connect(
            item_changed, sender=ShortlistItem, dispatch_uid="pages-del-ShortlistItem"
        )


def item_changed(*, instance, **kwargs) -> None:
    if instance.idea_id:
        tags_bump(idea_tag(instance.idea_id))
    else:  # a measure's item: the measures' pages
        pages_changed()
