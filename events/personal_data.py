"""The events' part of a person's data (registered with accounts.personal_data): their
registrations, cancelled and anonymised when the account goes, and anonymised for everyone
once the retention period after the event is over."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data

from .selectors import registrations_data_export
from .services import registrations_personal_data_erase, registrations_purge


def consequences(*, user) -> list[str]:
    return [_("Your registrations for upcoming events are cancelled.")]


personal_data.register(
    personal_data.Provider(
        name="events",
        order=40,
        export=lambda *, user, emails: {
            "event_registrations": registrations_data_export(user=user, emails=emails)
        },
        erase=lambda *, user, emails, now: {
            "registrations": registrations_personal_data_erase(user=user, emails=emails, now=now)
        },
        purge=lambda *, now: {"event_registrations": registrations_purge(now=now)},
        consequences=consequences,
        counted={
            "registrations": gettext_lazy("registrations"),
            "event_registrations": gettext_lazy("registrations of past events"),
        },
    )
)
