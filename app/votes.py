"""The vote rules: what a valid vote is, casting, changing and removing one, and the tallies.

Every path that changes votes goes through cast() or withdraw(), which change the vote and its
film's tally in one write transaction, so the tally is the vote log's sum at every commit.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .database import is_postgresql, write_transaction
from .extensions import db
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


def summary(film_id: int, voter: str | None) -> Summary:
    """The film's tallies and the visitor's vote, in one query of one row."""
    row = db.session.execute(
        select(Tally.s1, Tally.s2, Tally.s3, Tally.s4, Tally.s5, Vote.stars)
        .outerjoin(Vote, and_(Vote.film_id == Tally.film_id, Vote.voter == (voter or "")))
        .where(Tally.film_id == film_id)
    ).one()
    return Summary(per_star=tuple(row[:5]), mine=row[5])


def _insert():
    return (postgresql.insert if is_postgresql() else sqlite.insert)(Vote)


def _move_tally(session, film_id: int, added: int | None, removed: int | None) -> None:
    changes = {}
    if added:
        changes[f"s{added}"] = getattr(Tally, f"s{added}") + 1
    if removed:
        changes[f"s{removed}"] = getattr(Tally, f"s{removed}") - 1
    if bool(added) != bool(removed):
        changes["count"] = Tally.count + (1 if added else -1)
    session.execute(update(Tally).where(Tally.film_id == film_id).values(changes))


def cast(film_id: int, voter: str, stars: int) -> None:
    """Record the visitor's vote, or change it; a visitor never has more than one."""
    now = utcnow()
    with write_transaction() as session:
        # Twice at most: a vote removed by a simultaneous request between the two statements
        # below makes the second round an insert again.
        for _ in range(2):
            inserted = session.execute(
                _insert()
                .values(film_id=film_id, voter=voter, stars=stars, created_at=now, updated_at=now)
                .on_conflict_do_nothing(index_elements=["film_id", "voter"])
                .returning(Vote.id)
            ).first()
            if inserted:
                _move_tally(session, film_id, added=stars, removed=None)
                return
            # The vote exists (perhaps committed a moment ago by a simultaneous click): lock it.
            old = session.execute(
                select(Vote.stars)
                .where(Vote.film_id == film_id, Vote.voter == voter)
                .with_for_update()
            ).scalar_one_or_none()
            if old is not None:
                break
        else:
            raise RuntimeError("the vote kept disappearing while it was being changed")
        if old == stars:
            return
        session.execute(
            update(Vote)
            .where(Vote.film_id == film_id, Vote.voter == voter)
            .values(stars=stars, updated_at=now)
        )
        _move_tally(session, film_id, added=stars, removed=old)


def withdraw(film_id: int, voter: str) -> None:
    """Remove the visitor's vote, if there is one."""
    with write_transaction() as session:
        removed = session.execute(
            delete(Vote).where(Vote.film_id == film_id, Vote.voter == voter).returning(Vote.stars)
        ).scalar_one_or_none()
        if removed:
            _move_tally(session, film_id, added=None, removed=removed)


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
        if not fix:
            session.rollback()
        return drifts
