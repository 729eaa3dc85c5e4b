"""Who may see which notices in the notice log. No side effects."""

from . import registry


def can_see_kind(user, code: str) -> bool:
    """A kind's own rule (events: only who may see participants), else yes."""
    try:
        kind = registry.kind(code)
    except KeyError:
        return True
    return kind.visible_to is None or bool(kind.visible_to(user))


def hidden_kinds(user) -> list[str]:
    return [kind.code for kind in registry.kinds() if not can_see_kind(user, kind.code)]
