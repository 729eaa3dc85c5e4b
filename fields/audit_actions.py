"""What the vocabularies' audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import registry

from .models import ActionField, District, Quarter

registry.register("fields.actionfield.created", gettext_lazy("Action field created"))
registry.register(
    "fields.actionfield.changed",
    gettext_lazy("Action field changed"),
    registry.changed_fields(ActionField),
)
registry.register("fields.district.created", gettext_lazy("District created"))
registry.register(
    "fields.district.changed", gettext_lazy("District changed"), registry.changed_fields(District)
)
registry.register("fields.quarter.created", gettext_lazy("Quarter created"))
registry.register(
    "fields.quarter.changed", gettext_lazy("Quarter changed"), registry.changed_fields(Quarter)
)
registry.register(
    "fields.quarters.loaded",
    gettext_lazy("Quarters loaded from the city's file"),
    lambda data: _("%(created)d new, %(updated)d updated, %(deactivated)d retired") % data,
)
