"""The map page's overview: how many ideas, the box around them and each quarter's count and
middle, read in two narrow queries whatever the number of ideas."""

from decimal import Decimal

import pytest

from ideas import selectors
from ideas.filters import IdeaFilter
from ideas.map_data import map_overview
from ideas.models import Status
from tests.factories import IdeaFactory, QuarterFactory, bulk_located

pytestmark = pytest.mark.django_db


def located(latitude: str, longitude: str, quarters=(), **kwargs):
    idea = IdeaFactory(latitude=Decimal(latitude), longitude=Decimal(longitude), **kwargs)
    idea.quarters.set(quarters)
    return idea


@pytest.fixture
def town():
    north, south = QuarterFactory(code="N01"), QuarterFactory(code="S01")
    located("51.50", "11.90", [north, south], title="In beiden")
    located("51.52", "11.96", [north], title="Im Norden")
    located("51.44", "12.00", [], title="Ohne Stadtteil", whole_city=True)
    IdeaFactory(title="Ohne Ort")
    located("51.60", "12.20", [north], title="Entwurf", status=Status.DRAFT)
    return north, south


def overview(**filters) -> dict:
    return map_overview(IdeaFilter(filters, queryset=selectors.idea_map_public()).qs)


def test_each_idea_counts_once_and_each_of_its_quarters_counts_it(town):
    north, south = town
    result = overview()
    assert result["total"] == 3
    assert result["without_quarter"] == 1
    assert {pk: row["count"] for pk, row in result["by_quarter"].items()} == {
        north.pk: 2,
        south.pk: 1,
    }
    assert result["by_quarter"][north.pk]["latitude"] == pytest.approx(51.51)
    assert result["by_quarter"][south.pk]["longitude"] == pytest.approx(11.90)
    # The draft far away does not widen the box.
    assert result["bounds"] == [[51.44, 11.90], [51.52, 12.00]]


def test_a_filter_joining_the_quarters_still_counts_each_idea_once(town):
    north, south = town
    result = overview(quarter="N01")
    assert result["total"] == 2
    assert result["without_quarter"] == 0
    # Its ideas' other quarters are named with their counts among the filtered ideas.
    assert {pk: row["count"] for pk, row in result["by_quarter"].items()} == {
        north.pk: 2,
        south.pk: 1,
    }
    assert result["bounds"] == [[51.50, 11.90], [51.52, 11.96]]


def test_no_idea_gives_no_box(town):
    result = overview(q="gibt es nicht")
    assert result == {"total": 0, "without_quarter": 0, "bounds": None, "by_quarter": {}}


@pytest.mark.parametrize("count", [20, 2000])
def test_overview_runs_two_queries(django_assert_num_queries, count):
    bulk_located(count)
    with django_assert_num_queries(2):
        result = overview()
    assert result["total"] == count
