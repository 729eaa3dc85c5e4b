from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from discussion.models import Block
from tests.factories import UserFactory, user_with_role

# The roles of the permission matrix.
ROLES = ["anonymous", "unverified", "citizen", "author", "editor", "blocked"]


def person(role: str, idea=None):
    """A user in one of the matrix's roles (the author is the idea's)."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return idea.author
    if role == "editor":
        return user_with_role("Redaktion")
    if role == "unverified":
        user = UserFactory(verified=False)
        EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
        return user
    user = UserFactory()
    if role == "blocked":
        Block.objects.create(
            user=user, until=timezone.now() + timedelta(days=7), reason="Beleidigungen"
        )
    return user
