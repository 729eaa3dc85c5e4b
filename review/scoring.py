"""The scoring rules against a criteria catalogue: plain functions, no database."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DISAGREEMENT = 2  # points between the lowest and highest score of one criterion


@dataclass(frozen=True)
class CriterionRule:
    id: int
    weight: Decimal
    knockout: bool
    scale_min: int = 0
    scale_max: int = 5


@dataclass(frozen=True)
class Result:
    score: Decimal | None  # weighted mean over assessors, None if nobody assessed fully
    knockout_failed: bool
    assessments: int
    disagreements: list[int] = field(default_factory=list)  # criterion ids

    def qualifies(self, threshold: Decimal) -> bool:
        return self.score is not None and not self.knockout_failed and self.score >= threshold


def score_errors(rule: CriterionRule, value: int | None, reason: str) -> str | None:
    """Why a single score is not acceptable, or None. Knock-out criteria take 1 (met) or 0
    (not met); a failed knock-out and the ends of the scale need a written reason."""
    if value is None:
        return "missing"
    low, high = (0, 1) if rule.knockout else (rule.scale_min, rule.scale_max)
    if not low <= value <= high:
        return "out_of_range"
    needs_reason = (rule.knockout and value == 0) or (
        not rule.knockout and value in (rule.scale_min, rule.scale_max)
    )
    if needs_reason and not reason.strip():
        return "reason_required"
    return None


def weighted_score(rules: Iterable[CriterionRule], values: Mapping[int, int]) -> Decimal | None:
    """One assessor's weighted score on the scale, or None if a weighted criterion is
    unscored (an incomplete assessment does not count)."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for rule in rules:
        if rule.knockout or rule.weight == 0:
            continue
        if values.get(rule.id) is None:
            return None
        total += rule.weight * Decimal(values[rule.id])
        total_weight += rule.weight
    if total_weight == 0:
        return None
    return (total / total_weight).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def knockout_failed(rules: Iterable[CriterionRule], values: Mapping[int, int]) -> bool:
    return any(rule.knockout and values.get(rule.id) == 0 for rule in rules)


def idea_result(rules: list[CriterionRule], assessments: list[Mapping[int, int]]) -> Result:
    """Combine the submitted assessments of one idea: the mean of the assessors' weighted
    scores; a knock-out fails if any assessor found it not met; criteria where assessors
    differ by two points or more are flagged for discussion."""
    scores = [weighted_score(rules, values) for values in assessments]
    complete = [score for score in scores if score is not None]
    mean = None
    if complete:
        mean = (sum(complete) / len(complete)).quantize(Decimal("0.001"), ROUND_HALF_UP)
    disagreements = []
    for rule in rules:
        given = [values[rule.id] for values in assessments if values.get(rule.id) is not None]
        if len(given) >= 2 and max(given) - min(given) >= DISAGREEMENT:
            disagreements.append(rule.id)
    return Result(
        score=mean,
        knockout_failed=any(knockout_failed(rules, values) for values in assessments),
        assessments=len(assessments),
        disagreements=disagreements,
    )


def ranking(results: Iterable[tuple[object, Result, object]]) -> list[tuple[int, object]]:
    """Rank items (item, result, tie_breaker) best first: those that fail a knock-out or are
    unscored last; equal scores share a rank (1, 2, 2, 4) and keep the tie-breaker's order."""
    ordered = sorted(
        results,
        key=lambda row: (
            row[1].knockout_failed or row[1].score is None,
            -(row[1].score or 0),
            row[2],
        ),
    )
    ranked, previous, rank = [], None, 0
    for position, (item, result, _tie) in enumerate(ordered, start=1):
        key = (result.knockout_failed, result.score)
        if key != previous:
            rank, previous = position, key
        ranked.append((rank, item))
    return ranked
