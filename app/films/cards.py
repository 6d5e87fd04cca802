"""The home page's cards: a film's title, year, date, poster, the owner's score and the review's
first lines, the readers' numbers, and the Top rated list.

A card is kept (app/core/cache.py) per place (its uid) in the version that shows what the
film's row holds now: a home page is a join of kept cards, and a vote renders one card anew,
not the page. The Top rated order ranks every film, so it is worked out at most once per
TOP_RATED_SECONDS slot per worker; its numbers are always read fresh.
"""

import time

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import Row, bindparam, func, select

from ..core.cache import cache
from ..core.database import read
from ..extensions import db
from ..models import Film, Tally
from ..ratings.summary import Summary
from . import keyset, posters, ranking

CARD_BODY_CHARS = 1000
# What a card shows: the film's title, year, date and poster, and its numbers. Every list of
# films (home, search, people, genres, years) starts from it: CARDS, or keyset.newest_first(),
# which adds Film.visible() after the cursor (SQLite seeks to the first condition's bound).
CARD_SELECT = select(
    Film.id,
    Film.slug,
    Film.title,
    Film.year,
    Film.published_on,
    Film.poster,
    Film.poster_width,
    Film.poster_height,
    Film.score_halves,
    # Enough of the review for its card's first lines (app/core/markdown.excerpt).
    func.substr(Film.body, 1, CARD_BODY_CHARS).label("body_start"),
    *Tally.rating_columns(),
).join(Tally, Tally.film_id == Film.id)
CARDS = CARD_SELECT.where(Film.visible())
# The home page's films, walked in ix_films_newest from the page's cursor.
NEWEST = keyset.newest_first(CARD_SELECT)
_THESE = CARDS.where(Film.id.in_(bindparam("ids", expanding=True)))
# Room for ten pages of cards and Top rated.
CARDS_KEPT = 256


def card(film: Row, uid: str, roles: str = "") -> Markup:
    """A film's card (templates/films/_card.html), with the same Summary as its page shows, so
    the numbers match to the digit; `roles` is what a person page says they did in it."""
    return cache("cards", CARDS_KEPT).get(
        uid,
        (tuple(film), roles),
        lambda: Markup(
            render_template(
                "films/_card.html",
                film=film,
                summary=Summary.of(film),
                uid=uid,
                roles=roles,
                picture=posters.picture(film),
            )
        ),
    )


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
