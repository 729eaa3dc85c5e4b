"""Duplicate suggestions for the editors: the ideas of the same call that read alike (the
German analysis of `ideas.similarity_search`), without the pairs an editor dismissed.
Marking a duplicate goes through `services.idea_mark_duplicate`, the one duplicate workflow."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas import similarity_search
from ideas.models import Idea

from . import permissions, services
from .models import DuplicateDismissal


def dismissed_partners(idea: Idea) -> set[int]:
    """The ideas an editor said are not duplicates of this one."""
    pairs = DuplicateDismissal.objects.filter(Q(first=idea) | Q(second=idea)).values_list(
        "first_id", "second_id"
    )
    return {first if second == idea.pk else second for first, second in pairs}


def duplicate_suggestions(*, idea: Idea, limit: int = 5) -> list[similarity_search.Suggestion]:
    """Ideas of the same call that may say the same, best first, with score and words."""
    return similarity_search.similar_to_idea(
        idea=idea, limit=limit, exclude_pks=dismissed_partners(idea)
    )


@transaction.atomic
def duplicate_dismiss(*, idea: Idea, other: Idea, by) -> DuplicateDismissal:
    """An editor says two ideas are not duplicates: the pair is not suggested again."""
    if not permissions.can_triage(by):
        raise PermissionDenied(_("Only editors may do this."))
    if idea.pk == other.pk:
        raise ValidationError(_("An idea cannot be a duplicate of itself."))
    first, second = sorted((idea.pk, other.pk))
    dismissal, created = DuplicateDismissal.objects.get_or_create(
        first_id=first, second_id=second, defaults={"dismissed_by": by}
    )
    if created:
        audit_write(
            action="review.duplicate.dismissed",
            by=by,
            subject=idea,
            other=other.reference or other.title,
        )
    return dismissal


def duplicate_mark(*, idea: Idea, original: Idea, by, score: str = "", words: str = "") -> Idea:
    """Mark an idea as a duplicate of a suggested one (the existing workflow; the reason
    names the suggestion)."""
    reason = _("Marked from the duplicate suggestions (score %(score)s; words: %(words)s).") % {
        "score": score or "–",
        "words": words or "–",
    }
    return services.idea_mark_duplicate(idea=idea, original=original, by=by, reason=reason)
