"""The vote rules on their own: parsing, rounding, and the block's numbers."""

from decimal import Decimal

import pytest

from app.ratings.summary import Summary, rounded_average
from app.ratings.votes import InvalidVote, parse_stars


@pytest.mark.parametrize("value, stars", [("1", 1), ("3", 3), ("5", 5)])
def test_parse_accepts_exactly_the_strings_one_to_five(value, stars):
    assert parse_stars([value]) == stars


@pytest.mark.parametrize(
    "values", [[], [""], ["0"], ["6"], ["-1"], ["2.5"], ["abc"], [" 3"], ["3", "3"], ["１"]]
)
def test_parse_refuses_everything_else(values):
    with pytest.raises(InvalidVote):
        parse_stars(values)


@pytest.mark.parametrize(
    "total, count, shown",
    [
        (5, 1, "5"),  # whole numbers lose their decimal: 5 / 5
        (9, 2, "4.5"),
        (99, 25, "4"),  # 3.96 prints 4
        (17, 4, "4.3"),  # 4.25 rounds half up, not to even
        (7, 3, "2.3"),
        (1, 1, "1"),
    ],
)
def test_average_to_one_decimal(total, count, shown):
    assert str(rounded_average(total, count)) == shown


def test_no_votes_no_average():
    assert rounded_average(0, 0) is None
    assert Summary(per_star=(0, 0, 0, 0, 0)).average is None


def test_summary_counts_and_shares():
    summary = Summary(per_star=(1, 0, 0, 2, 1), mine=4)
    assert summary.count == 4
    assert summary.average == Decimal("3.5")
    assert [summary.share(n) for n in range(1, 6)] == [25, 0, 0, 50, 25]
