from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import pages_changed


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from . import audit_actions, notices, personal_data, sections  # noqa: F401  (registrations)
        from .models import Measure, MeasureIdea, MeasureUpdate

        # The idea pages show their measures; the measure pages are public too.
        post_save.connect(pages_changed, sender=Measure, dispatch_uid="pages-Measure")
        post_delete.connect(pages_changed, sender=Measure, dispatch_uid="pages-del-Measure")
        # Their updates and what the source ideas contributed show there too.
        for model in (MeasureIdea, MeasureUpdate):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
        m2m_changed.connect(
            pages_changed, sender=Measure.ideas.through, dispatch_uid="pages-m2m-measure-ideas"
        )
