"""A person's rights over their data: the download of everything (GDPR art. 15 and 20) and
the deletion of the account (art. 17). Each app contributes its own part."""

import logging
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import User

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1


def user_emails(user: User) -> set[str]:
    """The addresses the account has proven to own: verified ones, and the login address
    unless allauth knows it unverified (accounts made by staff have no record). Anyone can
    add any address to their account, so an unverified one must not reach another person's
    registrations or subscriptions in a download or a deletion."""
    from allauth.account.models import EmailAddress

    verified = {
        email.lower(): is_verified
        for email, is_verified in EmailAddress.objects.filter(user=user).values_list(
            "email", "verified"
        )
    }
    emails = {email for email, is_verified in verified.items() if is_verified}
    login = user.email.lower()
    if login and verified.get(login, True):
        emails.add(login)
    return emails


def _mfa_enabled(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


def user_data_export(user: User, *, now: datetime | None = None) -> dict:
    """All data stored about an account, as plain JSON-ready data: the account itself (never
    the password hash or second-factor secrets), the verified addresses, and what the ideas
    and events apps hold about it."""
    from allauth.account.models import EmailAddress

    from events.selectors import registrations_data_export
    from ideas.selectors import ideas_data_export

    emails = user_emails(user)
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": (now or timezone.now()).isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.groups.values_list("name", flat=True)),
            "staff": user.is_staff,
            "two_factor_enabled": _mfa_enabled(user),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        **ideas_data_export(user=user, emails=emails),
        "event_registrations": registrations_data_export(user=user, emails=emails),
    }


def user_erase_refusal(user: User) -> str | None:
    """Why this account may not delete itself, or None. The last active superuser would
    leave the platform without anyone who can administer it."""
    if user.is_superuser:
        others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            return _(
                "You are the only administrator with full rights. Please appoint another one "
                "before you delete your account."
            )
    return None


def user_erase(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """Delete an account and every trace of the person behind it, in one transaction.

    What the person contributed to the public record stays without them: submitted ideas
    (author "former member", whatever their status), assessments, board recommendations and
    audit entries (without the actor, their names cut from the details). Drafts,
    subscriptions, mails, event registrations' names and addresses, the addresses, second
    factors and the admin's history about the account go. Other sessions of the account stop
    working because the account no longer exists; the caller logs out the current one.

    Raises ValueError when user_erase_refusal() refuses.
    """
    from events.services import registrations_personal_data_erase
    from ideas.services import audit_personal_data_erase, ideas_personal_data_erase
    from ideas.triage import audit

    refusal = user_erase_refusal(user)
    if refusal:
        raise ValueError(refusal)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        emails = user_emails(user)
        names = [user.display_name, f"{user.first_name} {user.last_name}"]
        counts = ideas_personal_data_erase(user=user, emails=emails)
        counts["registrations"] = registrations_personal_data_erase(
            user=user, emails=emails, now=now
        )
        # Events' audit entries written by the cancellations above are scrubbed here too.
        counts["audit_entries"] = audit_personal_data_erase(
            user=user, names=names, emails=sorted(emails)
        )
        # The admin's history about this account names it; its own admin actions go with it.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).delete()
        for email in emails:
            LogEntry.objects.filter(object_repr__icontains=email).update(object_repr="–")
        user_id = user.pk
        audit(action="accounts.user.erased", by=None, **counts)
        # Addresses, second factors and the account's remaining links cascade or become NULL.
        user.delete()
    logger.info("Account %s deleted at its holder's request: %s", user_id, counts)
    return counts


def personal_data_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Remove personal data that is no longer needed, by the retention periods in the settings:
    analog submitters' contact data, ended or never confirmed subscriptions, and the names and
    addresses of past events' registrations. Each part is idempotent and batched; one audit
    entry records how many were purged (none when nothing was due)."""
    from events.services import registrations_purge
    from ideas.notices import subscriptions_purge
    from ideas.services import analog_submitters_purge
    from ideas.triage import audit

    now = now or timezone.now()
    counts = {
        "analog_submitters": analog_submitters_purge(now=now),
        "subscriptions": subscriptions_purge(now=now),
        "event_registrations": registrations_purge(now=now),
    }
    logger.info("Personal data purged: %s", counts)
    if any(counts.values()):
        audit(action="accounts.personal_data.purged", by=None, **counts)
    return counts
