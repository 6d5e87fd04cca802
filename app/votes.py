"""The vote rules: what a valid vote is, casting, changing and removing one, and the tallies.

Every path that changes votes goes through cast() or withdraw(), which change the vote and its
film's tally in one write transaction, so the tally is the vote log's sum at every commit.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from sqlalchemy import Connection, and_, bindparam, delete, func, select, update

from .catalog import film_id_or_404
from .database import is_postgresql, read_row, write_connection, write_transaction
from .models import Tally, Vote, utcnow

STARS = (1, 2, 3, 4, 5)
_VALID = {str(n): n for n in STARS}


class InvalidVote(ValueError):
    """The submitted `stars` is not exactly one of the strings 1 to 5."""


def parse_stars(values: list[str]) -> int:
    """The one valid form of a vote: a single field whose value is exactly "1" to "5"."""
    if len(values) != 1 or values[0] not in _VALID:
        raise InvalidVote("Choose a rating from 1 to 5 stars.")
    return _VALID[values[0]]


def rounded_average(total: int, count: int) -> Decimal | None:
    """The average to one decimal, halves rounded up; a whole number loses its decimal."""
    if not count:
        return None
    value = (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class Summary:
    """What the rating block shows: the film's tallies and this visitor's own vote."""

    per_star: tuple[int, int, int, int, int]
    mine: int | None = None

    @property
    def count(self) -> int:
        return sum(self.per_star)

    @property
    def average(self) -> Decimal | None:
        total = sum(stars * n for stars, n in zip(STARS, self.per_star, strict=True))
        return rounded_average(total, self.count)

    def share(self, star: int) -> int:
        """The percentage of votes that gave `star` stars."""
        return round(100 * self.per_star[star - 1] / self.count) if self.count else 0


_SUMMARY = (
    select(Tally.s1, Tally.s2, Tally.s3, Tally.s4, Tally.s5, Vote.stars)
    .outerjoin(Vote, and_(Vote.film_id == Tally.film_id, Vote.voter == bindparam("voter")))
    .where(Tally.film_id == bindparam("film_id"))
)


def summary(film_id: int, voter: str | None, connection: Connection | None = None) -> Summary:
    """The film's tallies and the visitor's vote, in one query of one row; inside the write
    transaction of `connection` when given."""
    row = read_row(_SUMMARY, {"film_id": film_id, "voter": voter or ""}, connection)
    return Summary(per_star=tuple(row[:5]), mine=row[5])


# The statements below are built once, with parameters: building one costs more than running it.
_THIS_VOTE = and_(Vote.film_id == bindparam("film"), Vote.voter == bindparam("visitor"))
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
            voter=bindparam("visitor"),
            stars=bindparam("new_stars"),
            created_at=bindparam("now"),
            updated_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["film_id", "voter"])
        .returning(Vote.id)
    )


@cache
def _move_tally(added: int | None, removed: int | None):
    """The statement that moves a tally by one vote, and returns its new per-star counts."""
    changes = {}
    if added:
        changes[f"s{added}"] = getattr(Tally, f"s{added}") + 1
    if removed:
        changes[f"s{removed}"] = getattr(Tally, f"s{removed}") - 1
    if bool(added) != bool(removed):
        changes["count"] = Tally.count + (1 if added else -1)
    changes["revision"] = Tally.revision + 1
    return (
        update(Tally)
        .where(Tally.film_id == bindparam("film"))
        .values(changes)
        .returning(Tally.s1, Tally.s2, Tally.s3, Tally.s4, Tally.s5)
    )


def cast(slug: str, voter: str, stars: int) -> Summary:
    """Record the visitor's vote on the published film, or change it (a visitor never has more
    than one); the result."""
    with write_connection() as connection:
        return _cast(connection, film_id_or_404(slug, connection), voter, stars)


def seed(film_id: int, voter: str, stars: int) -> None:
    """A vote that a film file starts with, published or not yet."""
    with write_connection() as connection:
        _cast(connection, film_id, voter, stars)


def _cast(connection: Connection, film_id: int, voter: str, stars: int) -> Summary:
    params = {"film": film_id, "visitor": voter, "new_stars": stars, "now": utcnow()}
    # Twice at most: a vote removed by a simultaneous request between the two statements
    # below makes the second round an insert again.
    for _ in range(2):
        if connection.execute(_insert_vote(is_postgresql()), params).first():
            tally = connection.execute(_move_tally(stars, None), params).one()
            return Summary(tuple(tally), stars)
        # The vote exists (perhaps committed a moment ago by a simultaneous click): lock it.
        old = connection.execute(_LOCK_VOTE, params).scalar_one_or_none()
        if old is not None:
            break
    else:
        raise RuntimeError("the vote kept disappearing while it was being changed")
    if old == stars:
        return summary(film_id, voter, connection)
    connection.execute(_CHANGE_VOTE, params)
    return Summary(tuple(connection.execute(_move_tally(stars, old), params).one()), stars)


def withdraw(slug: str, voter: str) -> Summary:
    """Remove the visitor's vote, if there is one; the result."""
    with write_connection() as connection:
        film_id = film_id_or_404(slug, connection)
        params = {"film": film_id, "visitor": voter}
        removed = connection.execute(_DELETE_VOTE, params).scalar_one_or_none()
        if removed:
            return Summary(tuple(connection.execute(_move_tally(None, removed), params).one()))
        return summary(film_id, None, connection)


@dataclass(frozen=True)
class Drift:
    film_id: int
    counted: tuple[int, ...]
    recorded: tuple[int, ...]


def verify(fix: bool = False) -> list[Drift]:
    """Recount every film's votes and compare with its tally; with fix, correct the tallies."""
    with write_transaction() as session:
        counted: dict[int, list[int]] = {}
        for film_id, stars, n in session.execute(
            select(Vote.film_id, Vote.stars, func.count()).group_by(Vote.film_id, Vote.stars)
        ):
            counted.setdefault(film_id, [0] * 5)[stars - 1] = n
        drifts = []
        for tally in session.scalars(select(Tally).order_by(Tally.film_id)):
            real = tuple(counted.pop(tally.film_id, [0] * 5))
            recorded = (tally.count, *tally.per_star)
            if recorded != (sum(real), *real):
                drifts.append(Drift(tally.film_id, (sum(real), *real), recorded))
                if fix:
                    tally.count = sum(real)
                    tally.s1, tally.s2, tally.s3, tally.s4, tally.s5 = real
                    tally.revision += 1
        if not fix:
            session.rollback()
        return drifts
