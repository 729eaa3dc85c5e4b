"""The discussion on an idea's public page (ideas.sections): supports above the idea's text,
the comments below it."""

from ideas import sections

from . import permissions, selectors
from .forms import started_token


def _viewer(request):
    return request.user if request is not None else None


def _refusal(idea, request):
    """Why the viewer may not discuss the idea (None if they may), derived once per page:
    the support box and the comments both say it, and it reads the account's addresses and
    blocks."""
    user = _viewer(request)
    if not (user and user.is_authenticated):
        return None
    known = request.__dict__.setdefault("_discussion_refusals", {})
    if idea.pk not in known:
        known[idea.pk] = permissions.discuss_refusal(user, idea)
    return known[idea.pk]


def _support(idea, request) -> dict | None:
    if not idea.is_public:
        return None
    return selectors.support_box(idea=idea, user=_viewer(request), refusal=_refusal(idea, request))


sections.register(
    sections.Section(
        name="discussion-support",
        template="discussion/includes/support.html",
        context=_support,
        order=10,
        with_request=True,
        related=("call__discussion",),  # the call's discussion settings
    )
)


def _comments(idea, request) -> dict | None:
    if not idea.is_public:
        return None
    user = _viewer(request)
    number = request.GET.get(selectors.PAGE_PARAMETER) if request is not None else None
    return {
        "page": selectors.comments_page(idea=idea, user=user, number=number),
        "viewer": selectors.comment_viewer(idea=idea, user=user, refusal=_refusal(idea, request)),
        "open": permissions.discussion_open(idea),
        "parameter": selectors.PAGE_PARAMETER,
        "started": started_token(),
    }


sections.register(
    sections.Section(
        name="discussion-comments",
        template="discussion/includes/comments.html",
        context=_comments,
        place="end",
        with_request=True,
    )
)
