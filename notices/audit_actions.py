from django.utils.translation import gettext_lazy as _

from audit import registry

registry.register("notices.subscription.ended", _("Subscription ended by staff"))
