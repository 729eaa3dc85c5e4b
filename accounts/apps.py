from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from . import audit_actions  # noqa: F401  (registers the accounts' audit actions)
