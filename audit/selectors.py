"""Reading the audit log: the entries about an object, and what an entry means in words."""

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from . import registry
from .models import AuditEntry


def entries_about(subject: Model, *, limit: int = 100) -> QuerySet[AuditEntry]:
    """The newest entries about one object, with their actors (one query)."""
    return (
        AuditEntry.objects.about(subject)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def entries_of(user) -> QuerySet[AuditEntry]:
    """Every entry a person's actions wrote (for their data download)."""
    return AuditEntry.objects.filter(actor=user).order_by("created_at", "id")


def subject_label(entry: AuditEntry) -> str:
    """What an entry is about, in words: the kind of object and its `audit_label` (a title,
    a reference number, a public name); objects without one (a subscription, whose label
    would be an email address) by their number only. Prefetch `subject` for lists."""
    if entry.subject_type is None:
        return "–"
    kind = entry.subject_type.name
    label = getattr(entry.subject, "audit_label", None)
    return f"{kind}: {label}" if label else f"{kind} {entry.subject_id}"


def actor_label(entry: AuditEntry) -> str:
    """Who did it: their public name, never their address; the system when nobody."""
    return entry.actor.public_name if entry.actor else "–"


def action_label(code: str) -> str:
    found = registry.action(code)
    return str(found.label) if found else code


def entry_description(entry: AuditEntry) -> str:
    """The entry's details as staff read them: the action's sentence where it has one,
    otherwise its details as "name: value" pairs."""
    found = registry.action(entry.action)
    data = entry.data or {}
    if found is not None and found.describe is not None:
        try:
            return str(found.describe(data))
        except (KeyError, TypeError, ValueError):
            pass  # details of an older shape: shown as they are
    return "; ".join(f"{key}: {_value(value)}" for key, value in data.items())


def _value(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "–" if value in (None, "") else str(value)
