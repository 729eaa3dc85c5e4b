"""Parts of the home page and of a call's page that other apps contribute (the process's
phases and the events, from the events app): the ideas app places them without knowing
those apps. A panel is registered in the contributing app's AppConfig.ready; the pages show
it by name (`{{ panels.process }}`), so a page without it stays whole."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    # (call or None, page: "home" or "call") -> the template's context, or None when the
    # panel has nothing to show. Each panel reads in a fixed number of queries.
    context: Callable


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.name in _panels and _panels[panel.name] != panel:
        raise ValueError(f"The panel {panel.name} is registered twice.")
    _panels[panel.name] = panel
    return panel


def render_panels(*, call, page: str, request=None) -> dict[str, SafeString]:
    """Each registered panel's HTML by name, for the home page (`call`: the current call or
    None) or a call's page."""
    rendered = {}
    for panel in _panels.values():
        context = panel.context(call, page)
        if context is not None:
            rendered[panel.name] = render_to_string(
                panel.template, {"call": call, "page": page, **context}, request
            )
    return rendered
