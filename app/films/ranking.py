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
    """A film's total of stars, v·R, from its tally."""
    return sum(stars * Tally.star_column(stars) for stars in Tally.STARS)


def top_rated(min_votes: int, limit: int) -> Select:
    """The ids of the visible films with votes, best weighted rating first."""
    all_stars = cast(func.sum(_total()), Float)
    mean = (
        select(func.coalesce(all_stars / func.nullif(func.sum(Tally.count), 0), 0))
        .join(Film, Film.id == Tally.film_id)
        .where(Film.visible())
        .scalar_subquery()
    )
    score = weighted_rating(cast(_total(), Float), Tally.count, float(min_votes), mean)
    return (
        select(Film.id)
        .join(Tally, Tally.film_id == Film.id)
        .where(Film.visible(), Tally.count > 0)
        .order_by(score.desc(), Tally.count.desc(), Film.id)
        .limit(limit)
    )
