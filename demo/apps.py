from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a developer's machine (`manage.py seed_demo`): Halle's call of 2022/23
    with its 85 ideas, an open demo call, one account per role, a measure and a shortlist,
    all through the apps' services. It sits on top of every app."""

    name = "demo"
    verbose_name = _("Demo data")
