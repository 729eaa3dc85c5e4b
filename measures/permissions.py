"""Who may do what with measures. No side effects."""

from accounts.roles import is_editor

from .models import Measure


def can_manage_measures(user) -> bool:
    """Editors build measures from qualified ideas."""
    return is_editor(user)


def can_view_measure(user, measure: Measure) -> bool:
    """Published measures of published calls are public; drafts are the editors'."""
    return (measure.published and measure.call.published) or is_editor(user)
