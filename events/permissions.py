"""Plain predicates: who may see or do what with an event. No side effects."""

from .models import Event, Registration


def is_event_staff(user) -> bool:
    """Staff who manage events (and so see internal events and online links)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("events.change_event")
    )


def can_view_event(user, event: Event) -> bool:
    return event.public or is_event_staff(user)


def can_see_online_link(user, event: Event, registration: Registration | None) -> bool:
    """The online link is for participants with a confirmed place, and for staff."""
    if not event.online_url or not event.is_online:
        return False
    if is_event_staff(user):
        return True
    return registration is not None and registration.is_confirmed and not event.is_cancelled


def can_see_participants(user) -> bool:
    """Names and addresses of participants: staff with the permission, nobody else."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("events.view_registration")
    )
