"""Following an idea: a subscription (notices app) with the account's verified address.
Authors and commenters follow automatically; whoever stopped following an idea is not made
to follow it again by their next comment."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas.models import Idea
from notices.models import Subscription
from notices.services import subscription_follow, subscription_unfollow

from . import permissions
from .models import Unfollow


def is_following(*, idea: Idea, user) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Subscription.objects.about(idea).active().filter(email=user.email.lower()).exists()


def follow_automatically(*, idea: Idea, user) -> None:
    """The author of an idea or of a comment follows it, unless they stopped before."""
    if user is None or not permissions.is_verified(user):
        return
    if not Unfollow.objects.filter(idea=idea, user=user).exists():
        subscription_follow(subject=idea, user=user, again=False)


def idea_follow(*, idea: Idea, by) -> None:
    """Follow an idea (a verified account). Raises PermissionDenied."""
    if not permissions.is_verified(by) or not idea.is_public:
        raise PermissionDenied(_("Please confirm your email address to follow ideas."))
    subscription_follow(subject=idea, user=by)
    Unfollow.objects.filter(idea=idea, user=by).delete()
    audit_write(action="discussion.idea.followed", by=by, subject=idea)


def idea_unfollow(*, idea: Idea, by) -> bool:
    if not (by and by.is_authenticated):
        raise PermissionDenied(_("Please log in."))
    ended = subscription_unfollow(subject=idea, user=by)
    Unfollow.objects.get_or_create(idea=idea, user=by)
    if ended:
        audit_write(action="discussion.idea.unfollowed", by=by, subject=idea)
    return ended
