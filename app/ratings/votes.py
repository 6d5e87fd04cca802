"""The vote rules: what a valid vote is, and casting, changing and removing one.

Every path that changes votes goes through cast(), seed() or withdraw(), which change the vote
and its film's tally in one write transaction, so the tally is the vote log's sum at every
commit; `ratings verify` (app/core/maintenance.py) checks that it is.
"""

from functools import cache

from flask import abort
from sqlalchemy import and_, bindparam, delete, select, update

from ..core import revision
from ..core.database import Prepared, Raw, is_postgresql, raw_write, read_first
from ..models import Film, Tally, Vote, utcnow
from .summary import STARS, Summary

_VALID = {str(n): n for n in STARS}


class InvalidVote(ValueError):
    """The submitted `stars` is not exactly one of the strings 1 to 5."""


def parse_stars(values: list[str]) -> int:
    """The one valid form of a vote: a single field whose value is exactly "1" to "5"."""
    if len(values) != 1 or values[0] not in _VALID:
        raise InvalidVote("Choose a rating from 1 to 5 stars.")
    return _VALID[values[0]]


# The film's tallies and the visitor's vote on it, in one row.
_SUMMARY_ROW = select(*Tally.rating_columns(), Vote.stars).outerjoin(
    Vote, and_(Vote.film_id == Tally.film_id, Vote.visitor == bindparam("visitor_id"))
)
_SUMMARY = Prepared(_SUMMARY_ROW.where(Tally.film_id == bindparam("film")))


def _summary_of_row(row) -> Summary:
    return Summary.of_values(row[:-1], mine=row[-1])


def summary(film_id: int, visitor: str | None, raw: Raw | None = None) -> Summary:
    """The film's tallies and the visitor's vote, in one query of one row; inside the write
    transaction of `raw` when given."""
    params = {"film": film_id, "visitor_id": visitor or ""}
    row = raw.first(_SUMMARY, params) if raw else read_first(_SUMMARY, params)
    return _summary_of_row(row)


# The statements below are prepared once (app/core/database.py): building or executing one
# through SQLAlchemy costs more than running it. The film is named by its slug (a visitor's
# vote, on a visible film only) or by its id (a film file's, published or not).
_FILM = {
    "slug": and_(Film.slug == bindparam("slug"), Film.visible()),
    "id": Film.id == bindparam("film"),
}
_SUMMARY_BY_SLUG = Prepared(_SUMMARY_ROW.join(Film, Film.id == Tally.film_id).where(_FILM["slug"]))


def summary_of(slug: str, visitor: str) -> Summary:
    """The visible film's tallies and the visitor's vote, in one query; or 404."""
    row = read_first(_SUMMARY_BY_SLUG, {"slug": slug, "visitor_id": visitor})
    if row is None:
        abort(404)
    return _summary_of_row(row)


@cache
def _insert_vote(on_postgresql: bool, film_by: str) -> Prepared:
    """The vote, unless the visitor has one on the film; returns the film's id when added."""
    # Imported here, as only one is ever used: the PostgreSQL dialect costs 2 MB per worker.
    if on_postgresql:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    the_vote = select(
        Film.id,
        bindparam("visitor_id", type_=Vote.visitor.type),
        bindparam("new_stars", type_=Vote.stars.type),
        bindparam("now", type_=Vote.created_at.type),
        bindparam("now", type_=Vote.updated_at.type),
    ).where(_FILM[film_by])
    return Prepared(
        insert(Vote)
        .from_select(["film_id", "visitor", "stars", "created_at", "updated_at"], the_vote)
        .on_conflict_do_nothing(index_elements=["film_id", "visitor"])
        .returning(Vote.film_id)
    )


@cache
def _lock_vote(film_by: str) -> Prepared:
    """The film's id and the visitor's vote on it, locked until the transaction ends."""
    return Prepared(
        select(Vote.film_id, Vote.stars)
        .join(Film, Film.id == Vote.film_id)
        .where(_FILM[film_by], Vote.visitor == bindparam("visitor_id"))
        .with_for_update(of=Vote)
    )


@cache
def _film_id(film_by: str) -> Prepared:
    return Prepared(select(Film.id).where(_FILM[film_by]))


_THIS_VOTE = and_(Vote.film_id == bindparam("film"), Vote.visitor == bindparam("visitor_id"))
_CHANGE_VOTE = Prepared(
    update(Vote).where(_THIS_VOTE).values(stars=bindparam("new_stars"), updated_at=bindparam("now"))
)
_DELETE_VOTE = Prepared(delete(Vote).where(_THIS_VOTE).returning(Vote.stars))


@cache
def _move_tally(added: int | None, removed: int | None) -> Prepared:
    """The statement that moves a tally by one vote, and returns its new per-star counts."""
    changes = dict(revision.NEXT)
    if added:
        changes[Tally.STAR_COLUMNS[added - 1]] = Tally.star_column(added) + 1
    if removed:
        changes[Tally.STAR_COLUMNS[removed - 1]] = Tally.star_column(removed) - 1
    if bool(added) != bool(removed):
        changes["count"] = Tally.count + (1 if added else -1)
    return Prepared(
        update(Tally)
        .where(Tally.film_id == bindparam("film"))
        .values(changes)
        .returning(*Tally.rating_columns())
    )


def cast(slug: str, visitor: str, stars: int) -> Summary:
    """Record the visitor's vote on the visible film, or change it (a visitor never has more
    than one); the result. An unknown or unpublished film is a 404."""
    with raw_write() as raw:
        return _cast(raw, "slug", {"slug": slug}, visitor, stars)


def seed(film_id: int, visitor: str, stars: int) -> None:
    """A vote that a film file starts with, published or not yet."""
    with raw_write() as raw:
        _cast(raw, "id", {"film": film_id}, visitor, stars)


def _cast(raw: Raw, film_by: str, film: dict, visitor: str, stars: int) -> Summary:
    params = {**film, "visitor_id": visitor, "new_stars": stars, "now": utcnow()}
    # Twice at most: a vote removed by a simultaneous request between the two statements
    # below makes the second round an insert again.
    for _ in range(2):
        if added := raw.first(_insert_vote(is_postgresql(), film_by), params):
            params["film"] = added[0]
            return Summary.of_values(raw.first(_move_tally(stars, None), params), mine=stars)
        # No vote added: the visitor has one (perhaps committed a moment ago by a simultaneous
        # click), or there is no such film.
        if kept := raw.first(_lock_vote(film_by), params):
            break
        if raw.first(_film_id(film_by), params) is None:
            abort(404)
    else:
        raise RuntimeError("the vote kept disappearing while it was being changed")
    params["film"], old = kept
    if old == stars:
        return summary(params["film"], visitor, raw)
    raw.execute(_CHANGE_VOTE, params)
    return Summary.of_values(raw.first(_move_tally(stars, old), params), mine=stars)


def withdraw(slug: str, visitor: str) -> Summary:
    """Remove the visitor's vote, if there is one; the result."""
    with raw_write() as raw:
        found = raw.first(_film_id("slug"), {"slug": slug})
        if found is None:
            abort(404)
        params = {"film": found[0], "visitor_id": visitor}
        removed = raw.first(_DELETE_VOTE, params)
        if removed:
            return Summary.of_values(raw.first(_move_tally(None, removed[0]), params))
        return summary(found[0], None, raw)
