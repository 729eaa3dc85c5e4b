"""The discussion on an idea's public page (ideas.sections): supports above the idea's text,
the comments below it."""

from ideas import sections

from . import permissions, selectors
from .forms import started_token


def _support(idea, request) -> dict | None:
    if not idea.is_public:
        return None
    user = request.user if request is not None else None
    return selectors.support_box(idea=idea, user=user)


sections.register(
    sections.Section(
        name="discussion-support",
        template="discussion/includes/support.html",
        context=_support,
        order=10,
        with_request=True,
    )
)


def _comments(idea, request) -> dict | None:
    if not idea.is_public:
        return None
    user = request.user if request is not None else None
    number = request.GET.get(selectors.PAGE_PARAMETER) if request is not None else None
    return {
        "page": selectors.comments_page(idea=idea, user=user, number=number),
        "viewer": selectors.comment_viewer(idea=idea, user=user),
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
