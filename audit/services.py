"""Writing the audit log, and the one sanctioned rewrite of it (a person's erasure)."""

import json
import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast

from . import registry
from .models import AuditEntry

ERASED = "[gelöscht]"
BATCH = 1000


def audit_write(*, action: str, by, subject: Model | None = None, **data) -> AuditEntry:
    """Append an entry to the audit log in the caller's transaction. `by` is the user who
    acted (None or an anonymous user for the system), `subject` the object acted on.

    Raises ValueError for an action no app registered (see audit.registry): every entry
    must be readable by staff."""
    if registry.action(action) is None:
        raise ValueError(f"Unregistered audit action: {action}")
    return AuditEntry.objects.create(
        action=action,
        actor=by if getattr(by, "pk", None) else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        data=data,
    )


@transaction.atomic
def save_audited(obj: Model, *, by, action: str) -> Model:
    """Validate and save an object whose saving has no rule beyond the model's own (a
    vocabulary entry, a legal page, a milestone), writing `<action>.created` or
    `<action>.changed` with the names of the fields that changed. The caller checks who may.

    Raises ValidationError for what the model's validation refuses."""
    before = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    obj.full_clean()
    obj.save()
    if before is None:
        audit_write(action=f"{action}.created", by=by, subject=obj)
    else:
        changed = [
            field.name
            for field in obj._meta.concrete_fields
            if getattr(before, field.attname) != getattr(obj, field.attname)
            and not getattr(field, "auto_now", False)
        ]
        if changed:
            audit_write(action=f"{action}.changed", by=by, subject=obj, fields=changed)
    return obj


@transaction.atomic
def delete_audited(obj: Model, *, by, action: str) -> None:
    """Delete an object that nothing else keeps on record, writing `<action>.deleted`."""
    audit_write(action=f"{action}.deleted", by=by, subject=None, name=str(obj))
    obj.delete()


def _scrub(value, *, names: set[str], emails: list[str]):
    """`value` (JSON data) without the person: a value that is one of their names is replaced
    whole (a name may be an everyday word, which must not be cut out of other text), their
    email addresses wherever they occur."""
    if isinstance(value, str):
        if value.strip().casefold() in names:
            return ERASED
        for email in emails:
            value = re.sub(re.escape(email), ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrub(item, names=names, emails=emails) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, names=names, emails=emails) for key, item in value.items()}
    return value


def audit_personal_data_erase(*, user, names: list[str], emails: list[str]) -> int:
    """Keep every audit entry (what happened stays on record) but drop the person: the
    actor link goes, and their names and addresses are cut out of the entries' details.
    Returns how many entries' details changed."""
    AuditEntry.objects.filter(actor=user).update(actor=None)
    names_folded = {name.strip().casefold() for name in names if name.strip()}
    emails = [email for email in emails if email]
    text = Q()
    for needle in [*names_folded, *emails]:
        # The JSON text may hold non-ASCII letters escaped (SQLite) or as they are (PostgreSQL).
        text |= Q(data_text__icontains=needle)
        text |= Q(data_text__icontains=json.dumps(needle)[1:-1])
    if not text:
        return 0
    changed = 0
    entries = AuditEntry.objects.annotate(data_text=Cast("data", TextField())).filter(text)
    for pk, data in entries.values_list("pk", "data").iterator(chunk_size=BATCH):
        scrubbed = _scrub(data, names=names_folded, emails=emails)
        if scrubbed != data:
            # The sanctioned rewrite: a queryset update, not save() (entries are append-only).
            AuditEntry.objects.filter(pk=pk).update(data=scrubbed)
            changed += 1
    return changed
