"""The home page's cards: a film's title, year, date, poster, the owner's score and the review's
first lines, the readers' numbers, and the Top rated list.

A card is kept (app/core/cache.py) per place (its uid) in the version that shows what the
film's row holds now: a home page is a join of kept cards, and a vote renders one card anew,
not the page. The Top rated order ranks every film, so it is worked out at most once per
TOP_RATED_SECONDS slot per worker; its numbers are always read fresh.

A list of cards is kept (app/core/conditional.kept_page) in the version of its films: each
one's id, date, last change and numbers (VERSION_COLUMNS), read alone (Listing.versions()),
without the text of a card; the cards' own columns are read only when the list is rendered anew
(Listing.cards()).
"""

import functools
import time
from collections.abc import Callable, Iterable

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import Integer, Row, Select, bindparam, func, select

from ..core.cache import cache
from ..core.database import Prepared, read_all, typed
from ..extensions import db
from ..models import Film, Tally
from ..ratings.summary import Summary
from . import keyset, posters, ranking

CARD_BODY_CHARS = 1000
# A card's version: every change to what it shows moves the film's updated_at (its own columns)
# or its numbers; the date and id place it in a list (keyset's cursor).
VERSION_COLUMNS = (
    Film.id,
    Film.published_on,
    Film.updated_at,
    Tally.revision,
    *Tally.rating_columns(),
)
_VERSIONED = len(VERSION_COLUMNS)
# What a card shows: the film's title, year, date and poster, and its numbers. Every list of
# films (home, search, people, genres, years) starts from it: CARDS, or keyset.newest_first(),
# which adds Film.visible() after the cursor (SQLite seeks to the first condition's bound).
CARD_SELECT = select(
    *VERSION_COLUMNS,
    Film.slug,
    Film.title,
    Film.year,
    Film.poster,
    Film.poster_width,
    Film.poster_height,
    Film.score_halves,
    # Enough of the review for its card's first lines (app/core/markdown.excerpt).
    func.substr(Film.body, 1, CARD_BODY_CHARS).label("body_start"),
).join(Tally, Tally.film_id == Film.id)
CARDS = CARD_SELECT.where(Film.visible())


class Listing:
    """A list of films' statement (made from CARD_SELECT), prepared twice: for its films'
    versions alone, which every request reads, and for their cards, read only when the list is
    rendered anew. Both run on the DBAPI connection (app/core/database.Prepared): versions are
    the driver's rows, compared as they come; cards are typed and named as SQLAlchemy's rows."""

    def __init__(self, statement: Select):
        self._versions = Prepared(statement.with_only_columns(*VERSION_COLUMNS))
        self._cards = Prepared(statement)

    def versions(self, params: dict, order: dict | None = None) -> list[tuple]:
        """The films' versions (VERSION_COLUMNS: the id, then the date), in `order` (place by
        film id) when given, else the statement's."""
        return _in_order(read_all(self._versions, params), order)

    def cards(self, params: dict, size: int | None = None, order: dict | None = None):
        """The first `size` films' version and their cards' rows, in `order` as versions()."""
        fetched = _in_order(read_all(self._cards, params), order)[:size]
        return version(fetched), typed(self._cards, fetched)


def _in_order(rows: list[tuple], order: dict | None) -> list[tuple]:
    return rows if order is None else sorted(rows, key=lambda row: order[row[0]])


def version(films: Iterable[tuple]) -> tuple:
    """What a list of these films (Listing's rows, versions or cards) shows, for keeping it."""
    return tuple(tuple(film[:_VERSIONED]) for film in films)


# The home page's films, walked in ix_films_newest from the page's cursor.
NEWEST = Listing(keyset.newest_first(CARD_SELECT))


@functools.cache
def _these(count: int) -> Listing:
    """The visible ones of `count` films named by id (id0, id1 ...): as many parameters as Top
    rated lists at most, so that one prepared statement serves every list; 0 fills the rest,
    as no film has it."""
    ids = [bindparam(f"id{place}", type_=Integer) for place in range(count)]
    return Listing(CARDS.where(Film.id.in_(ids)))


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


def top_rated(min_votes: int) -> tuple[list[tuple], Callable[[], tuple]]:
    """Top rated, best first: their versions, and what reads their cards (Listing.cards())."""
    key = (min_votes, current_app.config["TOP_RATED_LIMIT"])
    seconds = current_app.config["TOP_RATED_SECONDS"]
    # 0 seconds: a new slot, and so a new order, for every request.
    slot = int(time.monotonic() // seconds) if seconds > 0 else time.monotonic_ns()
    ids = cache("top_rated", 4).get(
        key, slot, lambda: db.session.scalars(ranking.top_rated(*key)).all()
    )
    listing = _these(key[1])
    params = {f"id{place}": film_id for place, film_id in enumerate(ids)}
    params.update({f"id{place}": 0 for place in range(len(ids), key[1])})
    order = {film_id: place for place, film_id in enumerate(ids)}
    return listing.versions(params, order), lambda: listing.cards(params, order=order)
