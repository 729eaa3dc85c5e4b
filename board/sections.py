"""The board's published recommendation on an idea's public page (ideas.sections)."""

from ideas import sections

from .selectors import published_recommendations


def _context(idea) -> dict | None:
    items = published_recommendations(idea)
    return {"items": items} if items else None


sections.register(
    sections.Section(
        name="board",
        template="board/includes/idea_recommendation.html",
        context=_context,
        order=50,
    )
)
