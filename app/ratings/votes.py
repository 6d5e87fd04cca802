"""The vote rules: what a valid vote is, and casting, changing and removing one.

Every path that changes votes goes through cast(), seed() or withdraw(), which change the vote
and its film's tally in one write transaction, so the tally is the vote log's sum at every
commit; `ratings verify` (app/core/maintenance.py) checks that it is.
"""

from functools import cache

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from ..core import revision
from ..core.catalog import film_id_or_404
from ..core.database import is_postgresql, read_row, write_connection
from ..models import Tally, Vote, utcnow
from .summary import STARS, Summary

_VALID = {str(n): n for n in STARS}


class InvalidVote(ValueError):
    """The submitted `stars` is not exactly one of the strings 1 to 5."""


def parse_stars(values: list[str]) -> int:
    """The one valid form of a vote: a single field whose value is exactly "1" to "5"."""
    if len(values) != 1 or values[0] not in _VALID:
        raise InvalidVote("Choose a rating from 1 to 5 stars.")
    return _VALID[values[0]]


_SUMMARY = (
    select(*Tally.rating_columns(), Vote.stars)
    .outerjoin(Vote, and_(Vote.film_id == Tally.film_id, Vote.visitor == bindparam("visitor_id")))
    .where(Tally.film_id == bindparam("film_id"))
)


def summary(film_id: int, visitor: str | None, connection: Connection | None = None) -> Summary:
    """The film's tallies and the visitor's vote, in one query of one row; inside the write
    transaction of `connection` when given."""
    row = read_row(_SUMMARY, {"film_id": film_id, "visitor_id": visitor or ""}, connection)
    return Summary.of(row, mine=row.stars)


# The statements below are built once, with parameters: building one costs more than running it.
_THIS_VOTE = and_(Vote.film_id == bindparam("film"), Vote.visitor == bindparam("visitor_id"))
_LOCK_VOTE = select(Vote.stars).where(_THIS_VOTE).with_for_update()
_CHANGE_VOTE = (
    update(Vote).where(_THIS_VOTE).values(stars=bindparam("new_stars"), updated_at=bindparam("now"))
)
_DELETE_VOTE = delete(Vote).where(_THIS_VOTE).returning(Vote.stars)


@cache
def _insert_vote(on_postgresql: bool):
    # Imported here, as only one is ever used: the PostgreSQL dialect costs 2 MB per worker.
    if on_postgresql:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return (
        insert(Vote)
        .values(
            film_id=bindparam("film"),
            visitor=bindparam("visitor_id"),
            stars=bindparam("new_stars"),
            created_at=bindparam("now"),
            updated_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["film_id", "visitor"])
        .returning(Vote.id)
    )


@cache
def _move_tally(added: int | None, removed: int | None):
    """The statement that moves a tally by one vote, and returns its new per-star counts."""
    changes = dict(revision.NEXT)
    if added:
        changes[Tally.STAR_COLUMNS[added - 1]] = Tally.star_column(added) + 1
    if removed:
        changes[Tally.STAR_COLUMNS[removed - 1]] = Tally.star_column(removed) - 1
    if bool(added) != bool(removed):
        changes["count"] = Tally.count + (1 if added else -1)
    return (
        update(Tally)
        .where(Tally.film_id == bindparam("film"))
        .values(changes)
        .returning(*Tally.rating_columns())
    )


def cast(slug: str, visitor: str, stars: int) -> Summary:
    """Record the visitor's vote on the visible film, or change it (a visitor never has more
    than one); the result."""
    with write_connection() as connection:
        return _cast(connection, film_id_or_404(slug, connection), visitor, stars)


def seed(film_id: int, visitor: str, stars: int) -> None:
    """A vote that a film file starts with, published or not yet."""
    with write_connection() as connection:
        _cast(connection, film_id, visitor, stars)


def _cast(connection: Connection, film_id: int, visitor: str, stars: int) -> Summary:
    params = {"film": film_id, "visitor_id": visitor, "new_stars": stars, "now": utcnow()}
    # Twice at most: a vote removed by a simultaneous request between the two statements
    # below makes the second round an insert again.
    for _ in range(2):
        if connection.execute(_insert_vote(is_postgresql()), params).first():
            tally = connection.execute(_move_tally(stars, None), params).one()
            return Summary.of(tally, mine=stars)
        # The vote exists (perhaps committed a moment ago by a simultaneous click): lock it.
        old = connection.execute(_LOCK_VOTE, params).scalar_one_or_none()
        if old is not None:
            break
    else:
        raise RuntimeError("the vote kept disappearing while it was being changed")
    if old == stars:
        return summary(film_id, visitor, connection)
    connection.execute(_CHANGE_VOTE, params)
    return Summary.of(connection.execute(_move_tally(stars, old), params).one(), mine=stars)


def withdraw(slug: str, visitor: str) -> Summary:
    """Remove the visitor's vote, if there is one; the result."""
    with write_connection() as connection:
        film_id = film_id_or_404(slug, connection)
        params = {"film": film_id, "visitor_id": visitor}
        removed = connection.execute(_DELETE_VOTE, params).scalar_one_or_none()
        if removed:
            return Summary.of(connection.execute(_move_tally(None, removed), params).one())
        return summary(film_id, None, connection)
