"""Lists of films in pages by key, newest first: `?after=<cursor>`, where the cursor names the
(published_on, id) of the last film shown. The database seeks to it in the list's index, so the
last page costs what the first does, where an OFFSET walks every film before it.
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import abort, request
from sqlalchemy import Date, Integer, Select, bindparam, tuple_

from ..core.parsing import ID_MAX, whole_number
from ..models import Film

NEWEST_FIRST = (Film.published_on.desc(), Film.id.desc())
# Where the first page starts: after a film later than any.
_START = (date(9999, 12, 31), ID_MAX)
_BEFORE = tuple_(Film.published_on, Film.id) < tuple_(
    bindparam("after_on", type_=Date), bindparam("after_id", type_=Integer)
)


def newest_first(statement: Select) -> Select:
    """A list's statement in pages: its visible films after the cursor, newest first, a page's
    worth. The cursor comes first: SQLite seeks in the index to the bound of the first
    condition on published_on, and given Film.visible()'s first walks from today instead."""
    return (
        statement.where(_BEFORE, Film.visible()).order_by(*NEWEST_FIRST).limit(bindparam("limit"))
    )


def cursor(published_on: date | str, film_id: int) -> str:
    """The opaque `after` value of a film: its date (or its ISO form) and id, base64url."""
    return base64.urlsafe_b64encode(f"{published_on}.{film_id}".encode()).decode()


def _decode(raw: str) -> tuple[date, int]:
    day, film_id = base64.urlsafe_b64decode(raw.encode("ascii")).decode("ascii").split(".")
    return date.fromisoformat(day), whole_number(film_id, lo=1, hi=ID_MAX)


def after() -> tuple[date, int] | None:
    """The request's `?after=` cursor; none on the first page, 404 for one we did not make."""
    raw = request.args.get("after")
    if raw is None:
        return None
    try:
        return _decode(raw)
    except (ValueError, UnicodeError, binascii.Error):
        abort(404)


@dataclass(frozen=True)
class Page:
    films: list[tuple]  # the films' versions (films.cards.Listing): each one's id, then date
    after: str | None  # this page's own cursor: None on the first page
    next: str | None  # the next page's cursor, when there is one
    cards: Callable[[], tuple]  # the films' version and their cards' rows, read again

    def version(self, films: tuple) -> tuple:
        """What the page shows: its films' version (films.cards.version()) and its cursors."""
        return films, self.after, self.next


def page(listing, params: dict, size: int) -> Page:
    """The page of `listing` (a films.cards.Listing of a statement made by newest_first()) that
    the request's cursor names; 404 for a cursor past the end."""
    start = after()
    on, film_id = start or _START
    # One row more than the page holds tells whether there is a next page, without a COUNT.
    query = {**params, "after_on": on, "after_id": film_id, "limit": size + 1}
    rows = listing.versions(query)
    if not rows and start is not None:
        abort(404)
    films = rows[:size]
    # The driver's date: a date, or on SQLite the same ISO string.
    following = cursor(films[-1][1], films[-1][0]) if len(rows) > size else None
    return Page(
        films,
        request.args.get("after") if start else None,
        following,
        lambda: listing.cards(query, size),
    )
