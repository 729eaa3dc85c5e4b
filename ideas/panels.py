"""Parts of the home page and of a call's page that other apps contribute (the process's
phases and the events, from the events app): the ideas app places them without knowing
those apps. A panel is registered in the contributing app's AppConfig.ready; the pages show
it by name (`{{ panels.process }}`), so a page without it stays whole.

Every visitor sees the same panels, so their HTML is cached (page_cache.fragment) until the
site's content changes (`site`: calls, events, milestones), until what the panel's `key`
names changes (the day), or until the moment its context names as `valid_until` (an event
shown as coming ends). Panels render without the request: nothing personal in them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from halle_smartcity.page_cache import IDEAS, SITE, fragment

from . import selectors


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    # (call or None, page: "home" or "call") -> the template's context, or None when the
    # panel has nothing to show. Each panel reads in a fixed number of queries. A
    # `valid_until` (datetime) in the context: the panel is rendered again from then on.
    context: Callable
    # () -> what the panel depends on besides the site's content (e.g. today's date).
    key: Callable = lambda: ""


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.name in _panels and _panels[panel.name] != panel:
        raise ValueError(f"The panel {panel.name} is registered twice.")
    _panels[panel.name] = panel
    return panel


def _render(panel: Panel, call, page: str) -> tuple[str | None, object]:
    context = panel.context(call, page)
    if context is None:
        return None, None
    html = render_to_string(panel.template, {"call": call, "page": page, **context})
    return html, context.get("valid_until")


def _valid(value) -> bool:
    valid_until = value[1]
    return valid_until is None or timezone.now() < valid_until


def render_panels(*, call, page: str, request=None) -> dict[str, SafeString]:
    """Each registered panel's HTML by name, for the home page (`call`: the current call or
    None) or a call's page."""
    rendered = {}
    for panel in _panels.values():
        html, _valid_until = fragment(
            f"panel:{panel.name}",
            [page, call.pk if call else "none", panel.key()],
            [SITE],
            lambda panel=panel: _render(panel, call, page),
            valid=_valid,
        )
        if html is not None:
            rendered[panel.name] = mark_safe(html)  # noqa: S308 (a rendered template)
    return rendered


def latest_ideas(*, call=None) -> SafeString:
    """The latest published ideas (of a call) as cards, or "" if there is none; cached until
    the public ideas (their cards) or the site's content (fields, quarters) change."""

    def render() -> str:
        ideas = selectors.ideas_latest(call=call)
        if not ideas:
            return ""
        return render_to_string("ideas/includes/latest_ideas.html", {"latest_ideas": ideas})

    html = fragment("latest-ideas", [call.pk if call else "all"], [SITE, IDEAS], render)
    return mark_safe(html)  # noqa: S308 (a rendered template)
