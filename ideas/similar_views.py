"""Similar ideas while writing: the fragment the idea form fetches as the citizen types, and
the step before submitting that shows them without JavaScript."""

import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import similarity_search

logger = logging.getLogger(__name__)

MAX_PARAM = 1000  # characters read per field; the analysis bounds them again


def suggestions_for(*, title: str, body: str, exclude_pk: int | None = None) -> list:
    """At most five similar published ideas; none when anything goes wrong, so that a
    failing suggestion never stands between a citizen and their submission."""
    try:
        return similarity_search.similar_to_text(
            title=title[:MAX_PARAM], body=body[: 2 * MAX_PARAM], exclude_pk=exclude_pk
        )
    except Exception:
        logger.exception("similar ideas while writing failed")
        return []


@login_required
@require_GET
def similar_while_writing(request):
    """The list under the idea form (an HTML fragment; GET, no side effect)."""
    title = request.GET.get("title", "")[:MAX_PARAM]
    body = " ".join(request.GET.get(name, "")[:MAX_PARAM] for name in ("summary", "problem"))
    exclude = request.GET.get("idea", "")
    suggestions = suggestions_for(
        title=title, body=body, exclude_pk=int(exclude) if exclude.isdigit() else None
    )
    response = render(
        request,
        "ideas/includes/similar_ideas.html",
        {"suggestions": suggestions, "asked": bool(title.strip() or body.strip())},
    )
    response["Cache-Control"] = "private, no-store"
    return response
