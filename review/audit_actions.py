"""What the review's audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import registry
from ideas.models import Idea, Status


def _status(code: str) -> str:
    return Status(code).label if code in Status.values else code


def _status_changed(data: dict) -> str:
    sentence = _("From “%(old)s” to “%(new)s”: %(reason)s") % {
        "old": _status(data["old"]),
        "new": _status(data["new"]),
        "reason": data["reason"],
    }
    if data.get("original"):
        sentence += " " + _("(original: %(reference)s)") % {"reference": data["original"]}
    if data.get("measure"):
        sentence += " " + _("(measure: %(measure)s)") % {"measure": data["measure"]}
    return sentence


registry.register("review.idea.status_changed", gettext_lazy("Status changed"), _status_changed)
registry.register(
    "review.idea.primary_field_changed",
    gettext_lazy("Primary action field set"),
    lambda data: (
        _("From “%(old)s” to “%(new)s”") % {"old": data.get("old") or "–", "new": data["new"]}
    ),
)
registry.register(
    "review.idea.edited", gettext_lazy("Idea edited by the editors"), registry.changed_fields(Idea)
)
registry.register(
    "review.idea.sorting_changed",
    gettext_lazy("Action fields and quarters changed"),
    lambda data: (
        _("Action fields: %(fields)s; quarters: %(quarters)s")
        % {
            "fields": ", ".join(data.get("fields", [])) or "–",
            "quarters": ", ".join(data.get("quarters", [])) or "–",
        }
    ),
)
registry.register(
    "review.idea.images_edited",
    gettext_lazy("Images of the idea edited"),
    lambda data: (
        _("%(changed)d changed, %(removed)d removed")
        % {"changed": data["changed"], "removed": data["removed"]}
    ),
)
registry.register(
    "review.idea.feedback_set",
    gettext_lazy("Feedback written"),
    lambda data: _("and published") if data.get("published") else _("held back for now"),
)
registry.register(
    "review.call.feedback_published",
    gettext_lazy("All held-back feedback of the call published"),
    lambda data: (
        ngettext("%(count)d feedback text", "%(count)d feedback texts", data["count"])
        % {"count": data["count"]}
    ),
)
registry.register(
    "review.idea.assessor_assigned",
    gettext_lazy("Assessor assigned"),
    lambda data: data["assessor"],
)
registry.register("review.idea.assessor_recused", gettext_lazy("Assessor recused"))
registry.register(
    "review.assessment.saved",
    gettext_lazy("Assessment saved as a draft"),
    lambda data: _("Catalogue version %(version)s") % {"version": data["catalogue"]},
)
registry.register(
    "review.assessment.submitted",
    gettext_lazy("Assessment submitted"),
    lambda data: _("Catalogue version %(version)s") % {"version": data["catalogue"]},
)
registry.register(
    "review.catalogue.created",
    gettext_lazy("Criteria catalogue created"),
    lambda data: _("Version %(version)s") % {"version": data["version"]},
)
registry.register(
    "review.catalogue.changed",
    gettext_lazy("Criteria catalogue changed"),
    lambda data: _("Version %(version)s") % {"version": data["version"]},
)
registry.register(
    "review.catalogue.versioned",
    gettext_lazy("New version of the criteria catalogue"),
    lambda data: (
        _("Version %(old)s copied to version %(new)s") % {"old": data["old"], "new": data["new"]}
    ),
)

registry.register(
    "review.duplicate.dismissed",
    gettext_lazy("Duplicate suggestion dismissed"),
    lambda data: _("Not a duplicate of %(other)s") % {"other": data.get("other", "–")},
)
registry.register("review.themes.requested", gettext_lazy("Themes across action fields requested"))
