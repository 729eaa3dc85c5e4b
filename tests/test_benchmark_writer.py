"""The mix's writer keeps every account within the discussion's per-account rate limits, as
the views would, by spreading its supports and comments over many accounts."""

import pytest

from benchmarks.writer import AccountPool, accounts_needed, rate_parse


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_rates_are_read_as_django_ratelimit_writes_them():
    assert rate_parse("20/h") == (20, 3600)
    assert rate_parse("60/m") == (60, 60)
    assert rate_parse("5/10m") == (5, 600)
    with pytest.raises(ValueError):
        rate_parse("viel")


def test_no_account_acts_more_often_than_its_limit_allows():
    clock = Clock()
    pool = AccountPool([1, 2, 3], "2/h", clock=clock)
    taken = [pool.take() for _ in range(6)]
    assert sorted(taken) == [1, 1, 2, 2, 3, 3]
    # Every account has used its two actions this hour: nothing more until the hour is over.
    assert pool.take() is None
    clock.now = 3600
    assert pool.take() in {1, 2, 3}


def test_the_ideas_author_is_never_chosen_to_support_it():
    pool = AccountPool([1, 2], "100/h", clock=Clock())
    assert {pool.take(avoid=1) for _ in range(10)} == {2}
    assert AccountPool([1], "100/h", clock=Clock()).take(avoid=1) is None


def test_five_comments_a_second_for_an_hour_need_900_accounts_at_20_an_hour():
    assert accounts_needed(5, "20/h") == 900
    assert accounts_needed(5, "60/h") == 300
