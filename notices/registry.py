"""The kinds of notices. Each app registers the notices it writes (in its AppConfig.ready):
how the mail is titled, which templates render it, what else their context needs, whether
the recipient may switch it off, and who may see it in the notice log. The outbox sends
whatever is registered and knows nothing of the apps."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    # "app/mail/<name>": the outbox renders <template>.txt and <template>.html.
    template: str
    subject: Callable  # (notice) -> str, called in the recipient's language
    context: Callable | None = None  # (notice) -> dict of what the templates need beyond it
    attachments: Callable | None = None  # (notice) -> [(filename, bytes, mimetype)]
    optional: bool = False  # an account holder may switch it off
    visible_to: Callable | None = None  # (user) -> bool; None: whoever sees the notice log


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.code in _kinds and _kinds[kind.code] != kind:
        raise ValueError(f"The notice kind {kind.code} is registered twice.")
    if len(kind.code) > 40:
        raise ValueError(f"The notice kind {kind.code} is longer than 40 characters.")
    _kinds[kind.code] = kind
    return kind


def kind(code: str) -> Kind:
    """Raises KeyError for a kind nobody registered."""
    return _kinds[code]


def kinds() -> list[Kind]:
    """In the order the apps registered them (the order of the account page's settings)."""
    return list(_kinds.values())


def optional_kinds() -> list[Kind]:
    return [kind for kind in kinds() if kind.optional]


def label(code: str) -> str:
    found = _kinds.get(code)
    return str(found.label) if found else code
