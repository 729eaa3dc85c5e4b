"""Reads of the notices app."""

from . import registry
from .models import NoticeOptOut


def kinds_wanted(user) -> list[str]:
    """The optional kinds an account holder has not switched off."""
    muted = set(NoticeOptOut.objects.filter(email=user.email).values_list("kind", flat=True))
    return [kind.code for kind in registry.optional_kinds() if kind.code not in muted]
