"""Changes to the process timeline (milestones) and the press log (publications), as staff
make them in the admin: audited, by who holds the model permission."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext as _

from audit.services import delete_audited, save_audited


def _check(user, obj: Model, verb: str) -> None:
    codename = f"events.{verb}_{obj._meta.model_name}"
    if not (user and user.is_authenticated and user.has_perm(codename)):
        raise PermissionDenied(_("You may not change the timeline and the press log."))


def timeline_entry_save(*, entry: Model, by) -> Model:
    """Save a milestone or a publication (audited). Raises PermissionDenied or
    ValidationError."""
    _check(by, entry, "add" if entry.pk is None else "change")
    return save_audited(entry, by=by, action=f"events.{entry._meta.model_name}")


def timeline_entry_delete(*, entry: Model, by) -> None:
    """Delete a milestone or a publication (audited). Raises PermissionDenied."""
    _check(by, entry, "delete")
    delete_audited(entry, by=by, action=f"events.{entry._meta.model_name}")
