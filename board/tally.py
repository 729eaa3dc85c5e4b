"""Counting the board's votes on one item: a pure rule, no database."""

import math
from dataclasses import dataclass

from .models import Vote


@dataclass(frozen=True)
class Tally:
    recommend: int
    not_recommend: int
    abstain: int
    recused: int
    eligible: int
    quorum: int

    @property
    def votes(self) -> int:
        return self.recommend + self.not_recommend + self.abstain

    @property
    def quorum_reached(self) -> bool:
        return self.eligible > 0 and self.votes >= self.quorum

    @property
    def outcome(self) -> str:
        """The majority of recommend / not recommend once the quorum is reached."""
        if not self.quorum_reached or self.recommend == self.not_recommend:
            return ""
        return Vote.RECOMMEND if self.recommend > self.not_recommend else Vote.NOT_RECOMMEND


def tally(*, votes: list[tuple[str, bool]], members: int, quorum: int | None = None) -> Tally:
    """Count (vote, conflict of interest) pairs of one item. Members with a conflict are
    left out, also of the quorum, which by default is half of the remaining members."""
    recused = sum(1 for _vote, conflict in votes if conflict)
    counted = [vote for vote, conflict in votes if not conflict]
    eligible = max(members - recused, 0)
    needed = quorum if quorum else math.ceil(eligible / 2)
    return Tally(
        recommend=counted.count(Vote.RECOMMEND),
        not_recommend=counted.count(Vote.NOT_RECOMMEND),
        abstain=counted.count(Vote.ABSTAIN),
        recused=recused,
        eligible=eligible,
        quorum=max(needed, 1),
    )
