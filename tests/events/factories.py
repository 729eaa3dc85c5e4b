from datetime import timedelta

import factory
from django.utils import timezone

from events.models import (
    Event,
    EventFormat,
    EventKind,
    Milestone,
    Publication,
    Registration,
    RegistrationStatus,
)
from tests.factories import UserFactory

SECRET_LINK = "https://meet.example.org/geheimer-raum-4711"


class EventFactory(factory.django.DjangoModelFactory):
    """A public hybrid event in a week, two places, registration open."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Infoabend {n}")
    slug = factory.Sequence(lambda n: f"infoabend-{n}")
    kind = EventKind.INFO_SESSION
    format = EventFormat.HYBRID
    summary = "Wir stellen den Stand der Dinge vor."
    description = "Ausführliche Beschreibung des Abends."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    venue_name = "Stadthaus"
    venue_address = "Marktplatz 2, 06108 Halle (Saale)"
    accessibility_notes = "Stufenloser Zugang, Induktionsschleife."
    online_url = SECRET_LINK
    capacity = 2
    registration_enabled = True
    public = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed place with an account."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda registration: registration.user.display_name)
    email = factory.LazyAttribute(lambda registration: registration.user.email)
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    seated_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Meilenstein {n}")
    starts_on = factory.LazyFunction(timezone.localdate)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    published_on = factory.LazyFunction(timezone.localdate)
    outlet = "Mitteldeutsche Zeitung"
    title = factory.Sequence(lambda n: f"Bericht {n}")
    url = "https://presse.example.org/bericht"
