"""What the board's audit entries mean, in words staff read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import registry

from .models import Shortlist, Vote


def _item(data: dict) -> str:
    return data.get("item", "–")


registry.register("board.shortlist.created", gettext_lazy("Shortlist created"))
registry.register(
    "board.shortlist.changed",
    gettext_lazy("Shortlist changed"),
    registry.changed_fields(Shortlist),
)
registry.register("board.shortlist.item_added", gettext_lazy("Put on the shortlist"), _item)
registry.register("board.shortlist.item_removed", gettext_lazy("Taken off the shortlist"), _item)
registry.register(
    "board.shortlist.frozen",
    gettext_lazy("Shortlist frozen for the board's review"),
    lambda data: (
        ngettext("%(count)d item", "%(count)d items", data["items"]) % {"count": data["items"]}
    ),
)
registry.register(
    "board.recommendation.recorded",
    gettext_lazy("A board member voted"),
    lambda data: _("with a conflict of interest") if data.get("conflict_of_interest") else "",
)


def _outcome(data: dict) -> str:
    vote = data.get("recommendation")
    sentence = Vote(vote).label if vote in Vote.values else "–"
    if data.get("idea"):
        sentence = f"{sentence} ({data['idea']})"
    if data.get("published"):
        sentence = f"{sentence}, {_('published')}"
    return sentence


registry.register(
    "board.shortlist.recommendation_recorded",
    gettext_lazy("The board's recommendation recorded"),
    _outcome,
)
