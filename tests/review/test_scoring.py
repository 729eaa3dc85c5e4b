from decimal import Decimal

import pytest

from review.scoring import CriterionRule, idea_result, ranking, score_errors, weighted_score

KO = CriterionRule(id=1, weight=Decimal(0), knockout=True)
A = CriterionRule(id=2, weight=Decimal(20), knockout=False)
B = CriterionRule(id=3, weight=Decimal(10), knockout=False)
RULES = [KO, A, B]


def test_weighted_score_weights_each_criterion():
    # (20 * 4 + 10 * 1) / 30 = 3.0
    assert weighted_score(RULES, {1: 1, 2: 4, 3: 1}) == Decimal("3.000")
    assert weighted_score(RULES, {1: 1, 2: 5, 3: 5}) == Decimal("5.000")


def test_missing_weighted_score_makes_the_assessment_incomplete():
    assert weighted_score(RULES, {1: 1, 2: 4}) is None


def test_knock_out_is_not_part_of_the_weighted_score():
    assert weighted_score(RULES, {1: 0, 2: 4, 3: 4}) == Decimal("4.000")


def test_failed_knock_out_keeps_any_score_from_qualifying():
    result = idea_result(RULES, [{1: 0, 2: 5, 3: 5}, {1: 1, 2: 5, 3: 5}])
    assert result.score == Decimal("5.000")
    assert result.knockout_failed
    assert not result.qualifies(Decimal("3.0"))


def test_mean_over_assessors_and_threshold():
    result = idea_result(RULES, [{1: 1, 2: 3, 3: 3}, {1: 1, 2: 4, 3: 1}])
    assert result.score == Decimal("3.000")
    assert result.qualifies(Decimal("3.0"))
    assert not result.qualifies(Decimal("3.01"))


def test_incomplete_assessments_do_not_count_towards_the_mean():
    result = idea_result(RULES, [{1: 1, 2: 5, 3: 5}, {1: 1, 2: 1}])
    assert result.score == Decimal("5.000")


def test_nobody_assessed_means_no_score():
    result = idea_result(RULES, [])
    assert result.score is None
    assert not result.qualifies(Decimal("0"))


def test_disagreement_of_two_points_is_flagged():
    result = idea_result(RULES, [{1: 1, 2: 1, 3: 3}, {1: 1, 2: 3, 3: 4}])
    assert result.disagreements == [2]


@pytest.mark.parametrize(
    ("rule", "value", "reason", "error"),
    [
        (A, 6, "", "out_of_range"),
        (A, -1, "", "out_of_range"),
        (A, None, "", "missing"),
        (A, 5, "", "reason_required"),
        (A, 0, " ", "reason_required"),
        (A, 5, "Herausragend", None),
        (A, 3, "", None),
        (KO, 2, "", "out_of_range"),
        (KO, 0, "", "reason_required"),
        (KO, 0, "Kein Halle-Bezug", None),
        (KO, 1, "", None),
    ],
)
def test_score_errors(rule, value, reason, error):
    assert score_errors(rule, value, reason) == error


def test_ranking_puts_knock_outs_last_and_shares_ranks_on_ties():
    from review.scoring import Result

    rows = [
        ("a", Result(Decimal("3.5"), False, 2), 3),
        ("b", Result(Decimal("4.2"), False, 2), 1),
        ("c", Result(Decimal("4.9"), True, 2), 0),
        ("d", Result(Decimal("3.5"), False, 2), 2),
        ("e", Result(None, False, 0), 4),
    ]
    assert ranking(rows) == [(1, "b"), (2, "d"), (2, "a"), (4, "c"), (5, "e")]
