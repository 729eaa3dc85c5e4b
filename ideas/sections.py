"""Parts of an idea's public page that other apps contribute (the board's published
recommendation, the measures the idea became part of): the ideas app renders them without
knowing those apps. A section is registered in the contributing app's AppConfig.ready."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    # (idea) -> the template's context, or None when the section has nothing to show.
    # Each section reads in a fixed number of queries.
    context: Callable
    order: int = 50
    # "main": above the idea's text; "end": below it (the discussion).
    place: str = "main"
    # The context is called as (idea, request): for what depends on the viewer. The page is
    # cached for anonymous visitors only, so a signed-in viewer's state is never shared.
    with_request: bool = False


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    if section.name in _sections and _sections[section.name] != section:
        raise ValueError(f"The idea page section {section.name} is registered twice.")
    _sections[section.name] = section
    return section


def render_sections(idea, request=None, place: str = "main") -> SafeString:
    """The contributed sections of one place of an idea's page, in order, as HTML."""
    parts = []
    for section in sorted(_sections.values(), key=lambda section: (section.order, section.name)):
        if section.place != place:
            continue
        context = section.context(idea, request) if section.with_request else section.context(idea)
        if context is not None:
            parts.append(render_to_string(section.template, {"idea": idea, **context}, request))
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, autoescaped)


# Notes other apps add to a list of ideas (the author's "My ideas": which measure an idea
# went into): (ideas) -> {idea pk: HTML}, in a fixed number of queries for the whole list.
_notes: dict[str, Callable] = {}


def register_note(name: str, notes: Callable) -> Callable:
    if name in _notes and _notes[name] is not notes:
        raise ValueError(f"The idea list note {name} is registered twice.")
    _notes[name] = notes
    return notes


def notes_for(ideas: list) -> dict[int, SafeString]:
    """Every registered app's notes on these ideas, joined per idea."""
    joined: dict[int, list[str]] = {}
    for name in sorted(_notes):
        for pk, html in _notes[name](ideas).items():
            joined.setdefault(pk, []).append(html)
    return {pk: mark_safe(" ".join(parts)) for pk, parts in joined.items()}  # noqa: S308


# Panels other apps add to the statistics page (ideas that reached a measure):
# (call or None, request) -> HTML or None, each in a fixed number of queries.
_statistics: dict[str, Callable] = {}


def register_statistics(name: str, panel: Callable) -> Callable:
    if name in _statistics and _statistics[name] is not panel:
        raise ValueError(f"The statistics panel {name} is registered twice.")
    _statistics[name] = panel
    return panel


def render_statistics(call, request=None) -> SafeString:
    parts = [_statistics[name](call, request) for name in sorted(_statistics)]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 (rendered templates)
