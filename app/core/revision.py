"""A film's revision: the number that every kept page of the film is versioned by.

A film page shows, besides the film's own row (versioned by `films.updated_at`), its votes'
numbers and its approved comments, with each commenter's current stars. `tallies.revision`
moves on in the transaction of every change to those, so no running worker keeps showing what
was true before. Every writer goes through this module: `page_changed()` on its own, or
`NEXT` in the tally update that a vote makes anyway.

A change made with SQL directly must do the same:
`UPDATE tallies SET revision = revision + 1 WHERE film_id = ...`.
"""

from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..models import Tally

# The value of `tallies.revision` after a change, for an UPDATE of the tally that makes one.
NEXT = {"revision": Tally.revision + 1}


def page_changed(connection: Connection | Session, film_ids: Iterable[int]) -> None:
    """What the pages of these films show has changed, in the transaction of `connection`."""
    ids = set(film_ids)
    if ids:
        connection.execute(update(Tally).where(Tally.film_id.in_(ids)).values(NEXT))
