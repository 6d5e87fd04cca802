"""The Top rated rule: a Bayesian weighted rating, so a handful of votes cannot top many."""

import pytest

from app.films.ranking import weighted_rating


def wr(per_star, m=10, mean=3.5):
    total = sum(stars * n for stars, n in zip((1, 2, 3, 4, 5), per_star, strict=True))
    return weighted_rating(total, sum(per_star), m, mean)


def test_one_five_star_vote_does_not_top_hundreds_averaging_4_6():
    one_vote = wr((0, 0, 0, 0, 1))
    hundreds = wr((0, 0, 0, 160, 240))  # 400 votes, mean 4.6
    assert one_vote == pytest.approx((5 + 10 * 3.5) / 11)
    assert hundreds > one_vote


def test_without_votes_it_is_the_mean_and_with_many_it_nears_the_films_own():
    assert wr((0, 0, 0, 0, 0)) == pytest.approx(3.5)
    assert wr((0, 0, 0, 0, 100_000)) == pytest.approx(5, abs=1e-3)


def test_it_is_imdbs_formula():
    v, r, m, c = 40, 4.25, 10, 3.0
    assert weighted_rating(v * r, v, m, c) == pytest.approx(v / (v + m) * r + m / (v + m) * c)


def test_m_zero_is_the_plain_average():
    assert wr((0, 0, 1, 0, 1), m=0) == pytest.approx(4)


def test_a_larger_m_needs_more_votes():
    few_perfect = (0, 0, 0, 0, 20)
    many_good = (0, 0, 0, 200, 0)
    assert wr(few_perfect, m=5) > wr(many_good, m=5)
    assert wr(few_perfect, m=100) < wr(many_good, m=100)
