"""What each audit action means, in words staff read: every app registers the actions it
writes (in its AppConfig.ready), with a label and, where the details need it, a function
that turns them into a sentence. `audit_write` refuses an action nobody registered, so no
entry can reach the log without a readable description."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise
    # The details as a sentence; None shows them as "key: value" pairs.
    describe: Callable[[dict], str] | None = None


_actions: dict[str, Action] = {}


def register(
    code: str, label: str | Promise, describe: Callable[[dict], str] | None = None
) -> None:
    """Register an action code (`<app>.<object>.<verb>`) with its German/English label."""
    if code in _actions and _actions[code] != Action(code, label, describe):
        raise ValueError(f"The audit action {code} is registered twice.")
    _actions[code] = Action(code, label, describe)


def action(code: str) -> Action | None:
    return _actions.get(code)


def actions() -> list[Action]:
    return sorted(_actions.values(), key=lambda action: action.code)


def field_label(model: type[Model], name: str) -> str:
    """A field's name as the admin shows it ("Kurzbeschreibung", not "summary"); a reverse
    relation by the related objects' plural ("Bilder"); a name the model lacks as it is."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete:
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def changed_fields(model: type[Model]) -> Callable[[dict], str]:
    """The sentence for a `fields=[...]` entry about a model: its fields by their labels."""

    def describe(data: dict) -> str:
        names = [field_label(model, name) for name in data.get("fields", [])]
        return _("Changed: %(fields)s") % {"fields": ", ".join(names) or "–"}

    return describe
