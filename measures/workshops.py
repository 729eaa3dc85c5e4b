"""The results of a workshop per idea: staff record them (with an optional photo, checked
and re-encoded like idea images), they show on the idea's and the measure's pages, and the
idea's author is told once per result."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas.images import ProcessedImage
from ideas.notices import idea_recipients
from notices.services import notices_create

from . import notices, permissions
from .models import WorkshopResult

AUDITED = ("idea_id", "event_id", "outcome", "next_step", "measure_id", "photo_alt")


@transaction.atomic
def workshop_result_save(
    *, result: WorkshopResult, by, photo: ProcessedImage | None = None
) -> WorkshopResult:
    """Record or change a workshop's result for an idea; with `photo` (an upload checked and
    re-encoded by `ideas.images.image_process`) replace its photo. A new result tells the
    idea's author.

    Raises PermissionDenied (not an editor) or ValidationError (missing outcome, a photo
    that is no image, too large, without a description)."""
    if not permissions.can_manage_measures(by):
        raise PermissionDenied(_("Only editors may do this."))
    before = WorkshopResult.objects.filter(pk=result.pk).first() if result.pk else None
    if (photo is not None or result.photo) and not result.photo_alt.strip():
        raise ValidationError(
            {"photo_alt": _("Please describe the photo for people who cannot see it.")}
        )
    result.full_clean()
    # The file is stored only once the result is valid: a refusal leaves no file behind.
    if photo is not None:
        result.photo.save(f"result.{photo.extension}", ContentFile(photo.content), save=False)
    result.save()
    if before is None:
        audit_write(action="measures.workshop_result.recorded", by=by, subject=result.idea)
        notices_create(
            kind=notices.WORKSHOP_RESULT,
            recipients=idea_recipients(result.idea),
            key=f"workshop-result:{result.pk}",
            subject=result,
        )
    else:
        changed = [name for name in AUDITED if getattr(before, name) != getattr(result, name)]
        if photo is not None:
            changed.append("photo")
        if changed:
            audit_write(
                action="measures.workshop_result.changed",
                by=by,
                subject=result.idea,
                fields=changed,
            )
    return result
