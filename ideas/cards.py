"""The cards of idea lists, each cached on its own (`page_cache.fragments_each`): a page of the
list renders only the cards of ideas changed since they were last shown anywhere."""

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from halle_smartcity.page_cache import SITE, fragments_each

from . import selectors

TEMPLATE = "ideas/includes/idea_card.html"


def cards_html(pks: list[int], *, heading_level: int = 2) -> list[SafeString]:
    """The cards of these published ideas, in this order. A card names the idea's field and
    quarters (the `site` tag) and shows its status and counts (its own tag)."""

    def render(missing: list[int]) -> dict[int, str]:
        template = get_template(TEMPLATE)
        ideas = selectors.idea_list_public().filter(pk__in=missing).order_by()
        return {
            idea.pk: str(template.render({"idea": idea, "heading_level": heading_level}))
            for idea in ideas
        }

    parts = fragments_each(f"idea-card:{heading_level}", pks, render, tags=(SITE,))
    # An idea gone between the page's query and its card's (deleted, unpublished) is left out.
    return [mark_safe(parts[pk]) for pk in pks if pk in parts]  # noqa: S308 - rendered HTML
