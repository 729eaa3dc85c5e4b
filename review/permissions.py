"""Who may do what in the review: plain predicates used by the views, the admin, the
templates and the services alike. No side effects. Roles come from accounts.roles (group
membership, never from being a superuser)."""

from accounts.roles import is_assessor, is_editor

from .models import Assignment, CriteriaCatalogue


def can_triage(user) -> bool:
    """Editors sort, move, give feedback, mark duplicates and assign assessors."""
    return is_editor(user)


def can_view_ranking(user) -> bool:
    return is_editor(user)


def can_use_assessor_pages(user) -> bool:
    """The assessors' own list of assignments."""
    return is_assessor(user)


def can_assess(user, assignment: Assignment) -> bool:
    """An assessor scores the ideas assigned to them, unless they stepped back."""
    return (
        is_assessor(user) and assignment.assessor_id == user.pk and assignment.recused_at is None
    )


def can_be_assigned(user) -> bool:
    """Who may be asked to assess: the assessors' group, nobody else."""
    return is_assessor(user)


def can_edit_catalogue(user, catalogue: CriteriaCatalogue | None = None) -> bool:
    """Editors keep the criteria catalogues; a version that assessments use is frozen."""
    unsaved = catalogue is None or catalogue.pk is None
    return is_editor(user) and (unsaved or not catalogue.is_frozen)
