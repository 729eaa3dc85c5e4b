"""Supporting an idea and the discussion's settings per call.

A support locks the idea's row, so parallel requests (two tabs, a double click, fifty
threads) are counted one after the other; the unique constraint on (idea, user) is the last
guard. The count on the idea is recomputed under that lock, so it is exact. A change makes
stale only the idea's own cached page; reaching the threshold (which marks the idea on the
lists) makes its lists stale too. The lists' counts are otherwise as old as the page cache
allows (MITMACHEN_PAGE_CACHE_SECONDS)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write, save_audited
from halle_smartcity.page_cache import idea_tag, tags_bump
from ideas.models import Idea
from ideas.page_tags import idea_tags

from . import notices, permissions
from .models import CallDiscussion, Support


def idea_lock(idea: Idea) -> Idea:
    """The idea, locked for this transaction, with its call."""
    return Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)


def support_count_refresh(idea: Idea) -> int:
    """Write the idea's exact support count (the caller holds the idea's lock)."""
    count = Support.objects.filter(idea=idea).count()
    Idea.objects.filter(pk=idea.pk).update(support_count=count)
    idea.support_count = count
    return count


@transaction.atomic
def support_add(*, idea: Idea, by) -> bool:
    """`by` supports the idea. Returns False if they already did (nothing changes).

    Raises PermissionDenied (with the reason) for anyone who may not support it now: not
    logged in, unverified, blocked, the author, a draft or duplicate, the phase closed.
    The first time the count reaches the call's threshold, the idea is marked and the
    editors get a notice (once)."""
    idea = idea_lock(idea)
    refusal = permissions.support_refusal(by, idea)
    if refusal:
        raise PermissionDenied(refusal)
    if Support.objects.filter(idea=idea, user=by).exists():
        return False
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=by)
    except IntegrityError:
        # Only reachable if the lock was bypassed; the constraint still counts once.
        return False
    count = support_count_refresh(idea)
    audit_write(action="discussion.support.added", by=by, subject=idea, count=count)
    threshold = permissions.settings_of(idea.call).support_threshold
    if count >= threshold and idea.support_threshold_reached_at is None:
        now = timezone.now()
        Idea.objects.filter(pk=idea.pk).update(support_threshold_reached_at=now)
        idea.support_threshold_reached_at = now
        audit_write(
            action="discussion.idea.threshold_reached",
            by=None,
            subject=idea,
            threshold=threshold,
        )
        notices.notice_threshold_reached(idea=idea, threshold=threshold)
        # The mark shows on the lists too.
        tags_bump(*idea_tags(idea))
    else:
        tags_bump(idea_tag(idea.pk))
    return True


@transaction.atomic
def support_withdraw(*, idea: Idea, by) -> bool:
    """`by` withdraws their support. Returns False if there was none. Withdrawing is allowed
    as long as supporting is (the phase lasts, the account is not blocked). The threshold's
    mark stays once reached: the editors were told."""
    idea = idea_lock(idea)
    refusal = permissions.discuss_refusal(by, idea)
    if refusal:
        raise PermissionDenied(refusal)
    deleted, _rows = Support.objects.filter(idea=idea, user=by).delete()
    if not deleted:
        return False
    count = support_count_refresh(idea)
    audit_write(action="discussion.support.withdrawn", by=by, subject=idea, count=count)
    tags_bump(idea_tag(idea.pk))
    return True


def call_discussion_save(*, settings: CallDiscussion, by) -> CallDiscussion:
    """Save a call's discussion settings (editors only), audited. A threshold already
    reached stays reached. Raises PermissionDenied, ValidationError."""
    if not permissions.can_moderate(by):
        raise PermissionDenied(_("Only editors may change the discussion settings."))
    if settings.phase == "until" and settings.open_until is None:
        raise ValidationError({"open_until": _("Please give the date the discussion ends.")})
    saved = save_audited(settings, by=by, action="discussion.settings")
    # Whether the discussion is open shows on every idea page of the call.
    tags_bump(*[idea_tag(pk) for pk in settings.call.ideas.values_list("pk", flat=True)])
    return saved
