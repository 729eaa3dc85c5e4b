from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import pages_changed


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Legal pages")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from . import audit_actions  # noqa: F401  (registers the pages' audit actions)
        from .models import Page

        # The pages are cached for anonymous visitors; an edit must show at once.
        post_save.connect(pages_changed, sender=Page, dispatch_uid="pages-Page")
        post_delete.connect(pages_changed, sender=Page, dispatch_uid="pages-del-Page")
