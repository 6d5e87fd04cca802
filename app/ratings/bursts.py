"""Removing a burst of votes (ballot stuffing): the votes one film got between two times.

The owner first sees how many votes that is and how the film's numbers change; the removal
then takes exactly those votes, or none when the count moved meanwhile. Like every vote rule
(votes.py), it changes the votes and the film's tally in one write transaction: the tally is
recounted from the votes that remain, and the film's revision moves (app/films/revision.py),
so `ratings verify` finds no drift and no kept page shows the old numbers.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, case, delete, func, select, update

from ..core.database import write_connection
from ..extensions import db
from ..films import revision
from ..models import Tally, Vote
from .summary import Summary

_IN_BURST = and_(
    Vote.film_id == bindparam("film"),
    Vote.created_at >= bindparam("start"),
    Vote.created_at <= bindparam("end"),
)
# One statement, so one moment of the votes: per star, all of the film's votes and the burst's.
_COUNTS = (
    select(Vote.stars, func.count(), func.count(case((_IN_BURST, 1))))
    .where(Vote.film_id == bindparam("film"))
    .group_by(Vote.stars)
)
_REMOVE = delete(Vote).where(_IN_BURST)


class BurstChanged(RuntimeError):
    """The votes in the window changed since the owner confirmed; nothing was removed."""

    def __init__(self, burst: "Burst"):
        super().__init__(f"the window now holds {burst.count} votes")
        self.burst = burst


@dataclass(frozen=True)
class Burst:
    """The votes a film got between start and end, and its numbers with and without them."""

    start: datetime
    end: datetime
    before: Summary
    after: Summary

    @property
    def count(self) -> int:
        return self.before.count - self.after.count


def _measure(connection: Connection, film_id: int, start: datetime, end: datetime) -> Burst:
    everything, burst = [0] * 5, [0] * 5
    params = {"film": film_id, "start": start, "end": end}
    for stars, all_votes, in_burst in connection.execute(_COUNTS, params):
        everything[stars - 1], burst[stars - 1] = all_votes, in_burst
    after = tuple(n - b for n, b in zip(everything, burst, strict=True))
    return Burst(start, end, Summary(tuple(everything)), Summary(after))


def preview(film_id: int, start: datetime, end: datetime) -> Burst:
    """What removing the votes cast from start to end (both included) would do."""
    with db.engine.connect() as connection:
        return _measure(connection, film_id, start, end)


def remove(film_id: int, start: datetime, end: datetime, expected: int) -> Burst:
    """Remove the votes cast from start to end, when they are still `expected` in number."""
    with write_connection() as connection:
        burst = _measure(connection, film_id, start, end)
        if burst.count != expected:
            raise BurstChanged(burst)
        connection.execute(_REMOVE, {"film": film_id, "start": start, "end": end})
        counts = dict(zip(Tally.STAR_COLUMNS, burst.after.per_star, strict=True))
        connection.execute(
            update(Tally)
            .where(Tally.film_id == film_id)
            .values(count=sum(burst.after.per_star), **counts, **revision.NEXT)
        )
    return burst
