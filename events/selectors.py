"""Reads with visibility rules: what may this user see of events and the timeline?"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fields.models import ActionField, Quarter

from . import permissions
from .models import Event, Milestone, Publication, Registration, RegistrationStatus


def _visible(user) -> QuerySet[Event]:
    events = Event.objects.all()
    return events if permissions.is_event_staff(user) else events.public()


def event_list(*, user, when: str = "upcoming", now: datetime | None = None) -> QuerySet[Event]:
    """Events a list card shows, with their seat counts, in a fixed number of queries:
    upcoming ones soonest first, past ones latest first. Internal events only for staff."""
    now = now or timezone.now()
    events = _visible(user).select_related("call").with_counts()
    events = events.prefetch_related(
        Prefetch("action_fields", queryset=ActionField.objects.order_by("order", "name"))
    )
    if when == "past":
        return events.past(now).order_by("-starts_at", "-id")
    return events.upcoming(now).order_by("starts_at", "id")


def event_next(*, user, now: datetime | None = None) -> Event | None:
    """The next event one can still go to (for teasers)."""
    now = now or timezone.now()
    return (
        _visible(user)
        .upcoming(now)
        .filter(cancelled_at__isnull=True)
        .order_by("starts_at", "id")
        .first()
    )


def event_detail(*, slug: str, user) -> Event:
    event = (
        Event.objects.select_related("call")
        .with_counts()
        .prefetch_related(
            Prefetch("action_fields", queryset=ActionField.objects.order_by("order", "name")),
            Prefetch("quarters", queryset=Quarter.objects.order_by("name")),
        )
        .filter(slug=slug)
        .first()
    )
    if event is None or not permissions.can_view_event(user, event):
        # An internal event is as good as absent for the public.
        raise Http404
    return event


def registration_of(*, event: Event, user) -> Registration | None:
    """The account holder's own registration for the event (cancelled ones too), if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user).order_by("-created_at").first()
        or Registration.objects.filter(event=event, email=user.email.lower()).first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None for anyone not on the waiting list."""
    if not registration.is_waitlisted:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        queued_at__lt=registration.queued_at,
    ).count()
    same_moment = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        queued_at=registration.queued_at,
        pk__lt=registration.pk,
    ).count()
    return ahead + same_moment + 1


def registration_by_token(*, token: str) -> Registration | None:
    return Registration.objects.select_related("event", "event__call").filter(token=token).first()


def feed_events() -> QuerySet[Event]:
    """Every public event for the subscribable calendar, cancelled ones included (so that
    subscribed calendars learn of the cancellation)."""
    return Event.objects.public().order_by("starts_at", "id")


def participants(*, event: Event) -> QuerySet[Registration]:
    """The participant list for the door: places first, then the waiting list in order.
    For staff only: the caller checks `permissions.can_see_participants`."""
    return (
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
        .select_related("user")
        .order_by("status", "queued_at", "name", "id")
    )


@dataclass(frozen=True)
class TimelineStep:
    milestone: Milestone
    state: str  # "done", "now" or "next"


def milestone_end(milestone: Milestone) -> date:
    end = milestone.ends_on or milestone.starts_on
    if milestone.precision == "month":
        # A month counts until its last day.
        next_month = date(end.year + end.month // 12, end.month % 12 + 1, 1)
        return date.fromordinal(next_month.toordinal() - 1)
    return end


def milestone_state(milestone: Milestone, today: date) -> str:
    """Where the process stands against a milestone: done, now (running) or next."""
    start = (
        milestone.starts_on.replace(day=1)
        if milestone.precision == "month"
        else (milestone.starts_on)
    )
    if today > milestone_end(milestone):
        return "done"
    if today >= start:
        return "now"
    return "next"


def milestone_list() -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(public=True)
        .select_related("event", "call")
        .order_by("starts_on", "id")
    )


def timeline(milestones, *, today: date | None = None) -> list[TimelineStep]:
    today = today or timezone.localdate()
    return [TimelineStep(milestone, milestone_state(milestone, today)) for milestone in milestones]


def publication_list() -> QuerySet[Publication]:
    return Publication.objects.filter(public=True).order_by("-published_on", "-id")


def registrations_data_export(*, user, emails: set[str]) -> list[dict]:
    """An account's event registrations (by the account or any of its addresses), for the
    account holder's download."""
    registrations = (
        Registration.objects.filter(Q(user=user) | Q(email__in=emails))
        .select_related("event")
        .order_by("created_at", "id")
    )
    return [
        {
            "event": registration.event.title,
            "event_starts_at": registration.event.starts_at.isoformat(),
            "name": registration.name,
            "email": registration.email,
            "language": registration.language,
            "status": registration.status,
            "registered_at": registration.created_at.isoformat(),
            "confirmed_at": registration.confirmed_at.isoformat()
            if registration.confirmed_at
            else None,
            "cancelled_at": registration.cancelled_at.isoformat()
            if registration.cancelled_at
            else None,
            "attended": registration.attended,
        }
        for registration in registrations
    ]
