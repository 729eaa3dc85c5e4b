"""Reads of the discussion with their visibility rules."""

from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.utils import timezone

from ideas.models import Idea

from . import following, permissions
from .models import Comment, Support


def support_box(*, idea: Idea, user, refusal=permissions.UNKNOWN) -> dict:
    """What the support box shows this viewer: the count, the threshold, whether they
    support the idea, and why they may not (None if they may). Two queries at most, and
    what `discuss_refusal` reads unless its answer is given (`refusal`)."""
    settings = permissions.settings_of(idea.call)
    signed_in = bool(user and user.is_authenticated)
    return {
        "count": idea.support_count,
        "threshold": settings.support_threshold,
        "reached": idea.support_threshold_reached_at is not None,
        "open": permissions.discussion_open(idea),
        "signed_in": signed_in,
        "supported": signed_in and Support.objects.filter(idea=idea, user=user).exists(),
        "refusal": permissions.support_refusal(user, idea, refusal=refusal) if signed_in else None,
    }


PAGE_SIZE = 20
PAGE_PARAMETER = "kommentare"


def comment_viewer(*, idea: Idea, user, refusal=permissions.UNKNOWN) -> dict:
    """Who looks at the comments, read once per page (not per comment): their id, whether
    they moderate, why they may not write (None if they may; `refusal` when known), since
    when a comment of theirs may still be edited."""
    signed_in = bool(user and user.is_authenticated)
    if signed_in and refusal is permissions.UNKNOWN:
        refusal = permissions.discuss_refusal(user, idea)
    return {
        "id": user.pk if signed_in else None,
        "signed_in": signed_in,
        "moderator": permissions.can_moderate(user),
        "refusal": refusal if signed_in else None,
        "edit_since": timezone.now() - timedelta(minutes=permissions.EDIT_WINDOW_MINUTES),
        "following": following.is_following(idea=idea, user=user),
    }


def comments_page(*, idea: Idea, user, number) -> Page:
    """One page of an idea's threads (20 comments with all their replies), oldest first, in
    three queries whatever the number of comments (two on a first page that is the only
    one). The public sees approved comments (deleted and hidden ones as placeholders); a
    person also sees their own awaiting approval; editors see everything."""
    signed_in = bool(user and user.is_authenticated)
    shown = Q()
    if not permissions.can_moderate(user):
        shown = Q(pending=False) | Q(author=user) if signed_in else Q(pending=False)
    replies = Comment.objects.filter(shown).select_related("author").order_by("created_at", "id")
    threads = (
        Comment.objects.filter(shown, idea=idea, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )
    paginator = Paginator(threads, PAGE_SIZE)
    if number in (None, "", "1"):
        # The first page (most visits): its threads and one more say whether there are other
        # pages, so most ideas' pages need no count of the threads.
        first = list(threads[: PAGE_SIZE + 1])
        if len(first) > PAGE_SIZE:
            return Page(first[:PAGE_SIZE], 1, paginator)  # counted when the pages are named
        return Paginator(first, PAGE_SIZE).page(1)
    return paginator.get_page(number)
