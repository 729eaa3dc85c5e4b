from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Legal pages")

    def ready(self):
        # The pages are cached for anonymous visitors; an edit must show at once.
        from django.db.models.signals import post_delete, post_save

        from halle_smartcity.page_cache import pages_changed

        from .models import Page

        post_save.connect(pages_changed, sender=Page, dispatch_uid="pages-Page")
        post_delete.connect(pages_changed, sender=Page, dispatch_uid="pages-del-Page")
