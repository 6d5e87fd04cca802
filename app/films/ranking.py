"""Top rated: films ranked by a Bayesian weighted rating, so a few votes cannot top many.

IMDb's rule, WR = v/(v+m)·R + m/(v+m)·C, where v is a film's vote count, R its mean vote, C the
mean vote across all films and m how many votes a film needs before its own mean outweighs C.
Since v·R is the film's total of stars, WR = (total + m·C) / (v + m).
"""

from sqlalchemy import Float, Select, cast, func, select

from ..models import Film, Tally


def weighted_rating(total, count, m, mean):
    """(total + m·C) / (count + m); plain arithmetic, so it works on numbers and on SQL columns."""
    return (total + m * mean) / (count + m)


def _total():
    """A film's total of stars, v·R, from its tally: the votes cast here and those a blog's
    rating plugin counted before the film moved here (known only as totals)."""
    return sum(stars * Tally.star_column(stars) for stars in Tally.STARS) + Tally.imported_sum


def _count():
    return Tally.count + Tally.imported_count


def top_rated(min_votes: int, limit: int) -> Select:
    """The ids of the visible films with votes, best weighted rating first."""
    all_stars = cast(func.sum(_total()), Float)
    mean = (
        select(func.coalesce(all_stars / func.nullif(func.sum(_count()), 0), 0))
        .join(Film, Film.id == Tally.film_id)
        .where(Film.visible())
        .scalar_subquery()
    )
    score = weighted_rating(cast(_total(), Float), _count(), float(min_votes), mean)
    return (
        select(Film.id)
        .join(Tally, Tally.film_id == Film.id)
        .where(Film.visible(), _count() > 0)
        .order_by(score.desc(), _count().desc(), Film.id)
        .limit(limit)
    )
