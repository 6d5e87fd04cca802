"""The home page's cards: a film's title, year, date, poster and numbers, and the Top rated list.

A card is kept (app/core/cache.py) per place (its uid) in the version that shows what the
film's row holds now: a home page is a join of kept cards, and a vote renders one card anew,
not the page. The Top rated order ranks every film, so it is worked out at most once per
TOP_RATED_SECONDS slot per worker; its numbers are always read fresh.
"""

import time

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select

from ..core.cache import cache
from ..core.database import read
from ..extensions import db
from ..models import Film, Tally
from ..ratings.summary import Summary
from . import posters, ranking

# What a card shows: the film's title, year, date and poster, and its numbers.
_CARDS = (
    select(
        Film.id,
        Film.slug,
        Film.title,
        Film.year,
        Film.published_on,
        Film.poster,
        Film.poster_width,
        Film.poster_height,
        *Tally.star_columns(),
    )
    .join(Tally, Tally.film_id == Film.id)
    .where(Film.visible())
)
_NEWEST_FIRST = (Film.published_on.desc(), Film.id.desc())
# The page's films are picked in the index alone (ix_films_newest), then joined to their
# tallies: joined first, every film skipped on the way to a deep page would be joined too.
_NEWEST = _CARDS.where(
    Film.id.in_(
        select(Film.id)
        .where(Film.visible())
        .order_by(*_NEWEST_FIRST)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
).order_by(*_NEWEST_FIRST)
_THESE = _CARDS.where(Film.id.in_(bindparam("ids", expanding=True)))
# Room for ten pages of cards and Top rated.
CARDS_KEPT = 256


def card(film: Row, uid: str) -> Markup:
    """A film's card (templates/films/_card.html), with the same Summary as its page shows, so
    the numbers match to the digit."""
    return cache("cards", CARDS_KEPT).get(
        uid,
        tuple(film),
        lambda: Markup(
            render_template(
                "films/_card.html",
                film=film,
                summary=Summary.of(film),
                uid=uid,
                picture=posters.picture(film),
            )
        ),
    )


def newest(limit: int, offset: int) -> list[Row]:
    """A page of visible films, newest first, as their cards show them."""
    return list(read(_NEWEST, {"limit": limit, "offset": offset}))


def top_rated(min_votes: int) -> list[Row]:
    """Top rated, best first, as their cards show them."""
    key = (min_votes, current_app.config["TOP_RATED_LIMIT"])
    seconds = current_app.config["TOP_RATED_SECONDS"]
    # 0 seconds: a new slot, and so a new order, for every request.
    slot = int(time.monotonic() // seconds) if seconds > 0 else time.monotonic_ns()
    ids = cache("top_rated", 4).get(
        key, slot, lambda: db.session.scalars(ranking.top_rated(*key)).all()
    )
    films = read(_THESE, {"ids": ids})
    return sorted(films, key=lambda film: ids.index(film.id))
