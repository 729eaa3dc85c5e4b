"""Parts of an idea's public page that other apps contribute (the board's published
recommendation, the measures the idea became part of): the ideas app renders them without
knowing those apps. A section is registered in the contributing app's AppConfig.ready."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from halle_smartcity.page_cache import SITE, fragment, idea_tag


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
    # A section without the request shows everyone the same: its HTML is kept (per idea and
    # language) until the idea's tag or SITE is bumped, so whatever changes what it shows
    # must bump one of them (page_cache.tags_bump).
    with_request: bool = False
    # Relations of the idea the context reads, loaded with the idea in its one query
    # (`select_related` names such as "call__discussion").
    related: tuple[str, ...] = ()


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    if section.name in _sections and _sections[section.name] != section:
        raise ValueError(f"The idea page section {section.name} is registered twice.")
    _sections[section.name] = section
    return section


def related() -> list[str]:
    """What the registered sections read of the idea's relations, for `select_related`."""
    return sorted({name for section in _sections.values() for name in section.related})


def _ordered() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def _render(section: Section, idea, request) -> str:
    context = section.context(idea, request) if section.with_request else section.context(idea)
    if context is None:
        return ""
    return render_to_string(section.template, {"idea": idea, **context}, request)


def _shared(idea, request) -> dict[str, str]:
    """The HTML of the sections that do not depend on the viewer, by name: from the cache
    while the idea and the site are unchanged (read once per page, kept on the idea)."""
    found = idea.__dict__.get("_shared_sections")
    if found is None:
        found = idea.__dict__["_shared_sections"] = fragment(
            "idea-sections",
            [idea.pk],
            (SITE, idea_tag(idea.pk)),
            lambda: {
                section.name: _render(section, idea, request)
                for section in _ordered()
                if not section.with_request
            },
        )
    return found


def render_sections(idea, request=None, place: str = "main") -> SafeString:
    """The contributed sections of one place of an idea's page, in order, as HTML."""
    shared = _shared(idea, request)
    parts = [
        _render(section, idea, request) if section.with_request else shared.get(section.name, "")
        for section in _ordered()
        if section.place == place
    ]
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
