"""What the measures' audit entries mean, in words staff read."""

from django.utils.translation import gettext_lazy

from audit import registry

from .models import Measure


def _ideas(data: dict) -> str:
    return ", ".join(data.get("ideas", [])) or "–"


registry.register("measures.measure.created", gettext_lazy("Measure created"))
registry.register(
    "measures.measure.changed",
    gettext_lazy("Measure changed"),
    registry.changed_fields(Measure),
)
registry.register(
    "measures.measure.fields_set",
    gettext_lazy("Action fields of the measure set"),
    lambda data: ", ".join(data.get("fields", [])) or "–",
)
registry.register("measures.measure.ideas_added", gettext_lazy("Ideas joined the measure"), _ideas)
registry.register("measures.measure.ideas_removed", gettext_lazy("Ideas left the measure"), _ideas)
