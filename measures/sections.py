"""The measures an idea is part of, on the idea's public page (ideas.sections)."""

from ideas import sections

from .selectors import measures_of_idea


def _context(idea) -> dict | None:
    measures = measures_of_idea(idea)
    return {"measures": measures} if measures else None


sections.register(
    sections.Section(
        name="measures",
        template="measures/includes/idea_measures.html",
        context=_context,
        order=60,
    )
)
