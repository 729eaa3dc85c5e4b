"""What the ideas app's audit entries mean, in words staff read."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import registry
from halle_smartcity.templatetags.kern import berlin

from .models import Call, Channel, Idea


def _moment(value) -> str:
    return berlin(datetime.fromisoformat(value)) if value else "–"


registry.register(
    "ideas.call.created",
    gettext_lazy("Call created"),
    lambda data: _("published") if data.get("published") else _("not published yet"),
)
registry.register(
    "ideas.call.changed", gettext_lazy("Call changed"), registry.changed_fields(Call)
)
registry.register(
    "ideas.call.extended",
    gettext_lazy("Deadline extended"),
    lambda data: (
        _("From %(old)s to %(new)s: %(reason)s")
        % {"old": _moment(data["old"]), "new": _moment(data["new"]), "reason": data["reason"]}
    ),
)
registry.register(
    "ideas.call.closed",
    gettext_lazy("Call closed at its deadline"),
    lambda data: (
        ngettext("%(deadline)s, %(count)d idea", "%(deadline)s, %(count)d ideas", data["ideas"])
        % {"deadline": _moment(data["deadline"]), "count": data["ideas"]}
    ),
)
registry.register(
    "ideas.idea.submitted",
    gettext_lazy("Idea submitted"),
    lambda data: _("Reference number %(reference)s") % {"reference": data["reference"]},
)
registry.register(
    "ideas.idea.edited_by_author",
    gettext_lazy("Idea changed by its author"),
    registry.changed_fields(Idea),
)
registry.register(
    "ideas.idea.entered",
    gettext_lazy("Idea entered by the editors"),
    lambda data: (
        _("%(channel)s, received on %(day)s")
        % {
            "channel": Channel(data["channel"]).label,
            "day": datetime.fromisoformat(data["received_on"]).strftime("%d.%m.%Y"),
        }
    ),
)
