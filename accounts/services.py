"""A person's rights over their data: the download of everything (GDPR art. 15 and 20), the
deletion of the account (art. 17) and the retention purge. Each app contributes its own
part through accounts.personal_data; the audit log is the platform's and handled here."""

import logging
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.selectors import entries_of, subject_label
from audit.services import audit_personal_data_erase, audit_write

from . import personal_data
from .models import User

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
PROFILE_FIELDS = ("display_name", "first_name", "last_name", "language")
ACCOUNT_FIELDS = ("email", "is_active", "is_staff", "is_superuser", *PROFILE_FIELDS)


# --- Profiles, accounts and roles -----------------------------------------------------------


@transaction.atomic
def profile_update(*, user: User, by: User, **values) -> User:
    """An account holder changes their own profile (display name, names, language). The
    audit entry names the fields, not their values.

    Raises PermissionDenied for anyone but the account holder, ValidationError for a display
    name another account uses."""
    if by.pk != user.pk:
        raise PermissionDenied(_("Only the account holder changes the profile."))
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = [
        name for name in PROFILE_FIELDS if name in values and getattr(user, name) != values[name]
    ]
    for name in changed:
        setattr(user, name, values[name])
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        audit_write(action="accounts.user.profile_changed", by=by, subject=user, fields=changed)
    return user


def _require_user_admin(by, *, new: bool) -> None:
    codename = "accounts.add_user" if new else "accounts.change_user"
    if not (by and by.is_authenticated and by.has_perm(codename)):
        raise PermissionDenied(_("You may not change accounts."))


@transaction.atomic
def user_save_by_staff(*, user: User, by: User) -> User:
    """An administrator creates or changes an account in the admin (audited by field name).
    Raises PermissionDenied for staff without the permission."""
    _require_user_admin(by, new=user.pk is None)
    before = User.objects.filter(pk=user.pk).first() if user.pk else None
    user.save()
    if before is None:
        audit_write(action="accounts.user.created", by=by, subject=user)
    else:
        changed = [name for name in ACCOUNT_FIELDS if getattr(before, name) != getattr(user, name)]
        if before.password != user.password:
            changed.append("password")
        if changed:
            audit_write(action="accounts.user.changed", by=by, subject=user, fields=changed)
    return user


@transaction.atomic
def user_access_set(*, user: User, groups, permissions, by: User) -> User:
    """Give an account its role groups and extra permissions; the roles it gains and loses
    are audited, since they decide who triages, assesses and votes."""
    _require_user_admin(by, new=False)
    before = set(user.groups.values_list("name", flat=True))
    user.groups.set(groups)
    user.user_permissions.set(permissions)
    after = set(user.groups.values_list("name", flat=True))
    if before != after:
        audit_write(
            action="accounts.user.roles_changed",
            by=by,
            subject=user,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    user.__dict__.pop("role_names", None)  # the roles just changed
    return user


def user_emails(user: User) -> set[str]:
    """The addresses the account has proven to own: verified ones, and the login address
    unless allauth knows it unverified (accounts made by staff have no record). Anyone can
    add any address to their account, so an unverified one must not reach another person's
    registrations or subscriptions in a download or a deletion."""
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
    return Authenticator.objects.filter(user=user).exists()


def user_data_export(user: User, *, now: datetime | None = None) -> dict:
    """All data stored about an account, as plain JSON-ready data: the account itself (never
    the password hash or second-factor secrets), the verified addresses, what every app holds
    about it (accounts.personal_data) and the audit entries of its actions."""
    emails = user_emails(user)
    parts = {}
    for provider in personal_data.providers():
        if provider.export is not None:
            parts.update(provider.export(user=user, emails=emails))
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
        **parts,
        "audit_entries": [
            {
                "action": entry.action,
                "subject": subject_label(entry),
                "data": entry.data,
                "at": entry.created_at.isoformat(),
            }
            for entry in entries_of(user)
            .select_related("subject_type")
            .prefetch_related("subject")
            .iterator(chunk_size=1000)
        ],
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
    now = now or timezone.now()
    refusal = user_erase_refusal(user)
    if refusal:
        raise ValueError(refusal)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        emails = user_emails(user)
        names = [user.display_name, f"{user.first_name} {user.last_name}"]
        counts: dict[str, int] = {}
        for provider in personal_data.providers():
            if provider.erase is not None:
                counts.update(provider.erase(user=user, emails=emails, now=now))
        # Audit entries the erasures above wrote (cancelled registrations) are scrubbed too.
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
        audit_write(action="accounts.user.erased", by=None, **counts)
        # Addresses, second factors and the account's remaining links cascade or become NULL.
        user.delete()
    logger.info("Account %s deleted at its holder's request: %s", user_id, counts)
    return counts


def personal_data_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Remove personal data that is no longer needed, by the retention periods in the settings:
    analog submitters' contact data, ended or never confirmed subscriptions, and the names and
    addresses of past events' registrations. Each part is idempotent and batched; one audit
    entry records how many were purged (none when nothing was due)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for provider in personal_data.providers():
        if provider.purge is not None:
            counts.update(provider.purge(now=now))
    logger.info("Personal data purged: %s", counts)
    if any(counts.values()):
        audit_write(action="accounts.personal_data.purged", by=None, **counts)
    return counts


def user_erase_consequences(user: User) -> list[str]:
    """What deleting the account means for this person, sentence by sentence (each app
    says what happens to its part)."""
    sentences = []
    for provider in personal_data.providers():
        if provider.consequences is not None:
            sentences += provider.consequences(user=user)
    return sentences
