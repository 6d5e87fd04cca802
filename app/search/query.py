"""The one search function: films by their titles and the names credited, best match first,
by the database's full-text index (schema.py); each word of the query may be the start of a word.
"""

import unicodedata

from sqlalchemy import column, func, literal_column, table, text

from ..core import sizes
from ..core.database import is_postgresql
from ..films.cards import CARDS, Listing
from ..films.keyset import NEWEST_FIRST
from ..models import Film, FilmSearch
from . import schema
from .text import words

MAX_LENGTH = sizes.SEARCH
# Enough for any title or name; more words would only make the query slower.
MAX_WORDS = 12
RESULTS = 50


class BadQuery(ValueError):
    """A query that is not something a person typed; the message says what to change."""


def check(query: str) -> str:
    """The query, or BadQuery: at most MAX_LENGTH characters, no control characters."""
    if len(query) > MAX_LENGTH:
        raise BadQuery(f"That search is longer than {MAX_LENGTH} characters; try fewer words.")
    if any(unicodedata.category(c) == "Cc" for c in query):
        raise BadQuery("That search holds characters that cannot be typed; try plain words.")
    return query


_fts = table(schema.FTS, column("rowid"))
_FTS = literal_column(schema.FTS)
# SQLite: FTS5's bm25, titles weighing ten times the names (lower is better).
_SQLITE = Listing(
    CARDS.join(_fts, _fts.c.rowid == Film.id)
    .where(_FTS.op("MATCH")(text(":match")))
    .order_by(func.bm25(_FTS, 10.0, 1.0), *NEWEST_FIRST)
    .limit(RESULTS)
)
# PostgreSQL: ts_rank over the document its GIN index holds (titles weight A, names B).
_QUERY = "to_tsquery('simple', :match)"
_POSTGRESQL = Listing(
    CARDS.join(FilmSearch, FilmSearch.film_id == Film.id)
    .where(text(f"{schema.DOCUMENT} @@ {_QUERY}"))
    .order_by(text(f"ts_rank({schema.DOCUMENT}, {_QUERY}) DESC"), *NEWEST_FIRST)
    .limit(RESULTS)
)


class _Nothing:
    """What a query without words finds: no film (as Listing, for search())."""

    def versions(self, params: dict) -> list:
        return []

    def cards(self, params: dict) -> tuple:
        return (), []


def search(query: str) -> tuple[Listing | _Nothing, dict]:
    """The visible films matching every word of the query (a word may be the start of one),
    best first, none for a query without words: a statement and its parameters, which read the
    films' versions and cards (films.cards.Listing)."""
    found = words(query)[:MAX_WORDS]
    if not found:
        return _Nothing(), {}
    # The words are letters and digits only (text.words), so neither syntax can be broken.
    if is_postgresql():
        return _POSTGRESQL, {"match": " & ".join(f"{word}:*" for word in found)}
    return _SQLITE, {"match": " ".join(f'"{word}"*' for word in found)}
