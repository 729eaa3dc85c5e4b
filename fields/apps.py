from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldsConfig(AppConfig):
    name = "fields"
    verbose_name = _("Action fields and quarters")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
