"""Removing a burst of votes (ballot stuffing): the votes one film got between two times.

The owner first sees how many votes that is and how the film's numbers change; the removal
then takes exactly the votes that preview counted (named by a digest of their ids), or none
when they changed meanwhile. A window reaching into the future ends at the preview's time, so
a vote cast after the owner looked is never in it.

Like every vote rule (votes.py), the removal changes the votes and the film's tally in one
write transaction, taking its locks in the order a vote does (the vote rows, then the tally
row), so the two never wait for each other: it deletes the window's votes, locks the tally,
and recounts it from the votes left. A vote cast meanwhile has either moved the tally and is
counted, or waits for the lock and moves the recounted tally after; either way `ratings
verify` finds no drift, and the film's revision moves (app/core/revision.py).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, delete, func, select, update

from ..core import revision
from ..core.database import snapshot, write_connection
from ..models import Tally, Vote, utcnow
from .summary import Summary

_IN_BURST = and_(
    Vote.film_id == bindparam("film"),
    Vote.created_at >= bindparam("start"),
    Vote.created_at <= bindparam("end"),
)
_PER_STAR = (
    select(Vote.stars, func.count()).where(Vote.film_id == bindparam("film")).group_by(Vote.stars)
)
_BURST = select(Vote.id, Vote.stars).where(_IN_BURST)
_REMOVE = delete(Vote).where(_IN_BURST).returning(Vote.id, Vote.stars)
_LOCK_TALLY = select(Tally.film_id).where(Tally.film_id == bindparam("film")).with_for_update()


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
    # Names the very votes counted, for the removal to check that it deletes those.
    digest: str

    @property
    def count(self) -> int:
        return self.before.count - self.after.count


def _digest(ids) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:32]


def _per_star(rows) -> list[int]:
    counts = [0] * 5
    for stars, n in rows:
        counts[stars - 1] += n
    return counts


def _burst(params: dict, after: list[int], burst_rows) -> Burst:
    """The burst of `burst_rows` (id, stars), from the film's per-star counts without it."""
    removed = _per_star((stars, 1) for _id, stars in burst_rows)
    before = tuple(n + b for n, b in zip(after, removed, strict=True))
    ids = (vote_id for vote_id, _stars in burst_rows)
    return Burst(
        params["start"], params["end"], Summary(before), Summary(tuple(after)), _digest(ids)
    )


def preview(film_id: int, start: datetime, end: datetime) -> Burst:
    """What removing the votes cast from start to end (both included) would do; an end still
    to come is now, so that later votes stay out of the window."""
    params = {"film": film_id, "start": start, "end": min(end, utcnow())}
    # One snapshot: the window's votes and the film's counts are of one moment.
    with snapshot() as session:
        everything = _per_star(session.execute(_PER_STAR, params))
        burst_rows = session.execute(_BURST, params).all()
    removed = _per_star((stars, 1) for _id, stars in burst_rows)
    return _burst(params, [n - b for n, b in zip(everything, removed, strict=True)], burst_rows)


class _NotThoseVotes(Exception):
    """The window holds other votes than the preview counted: roll the deletion back."""


def remove(film_id: int, start: datetime, end: datetime, digest: str) -> Burst:
    """Remove the votes cast from start to end, when they are still the ones that the preview
    with this digest counted; else BurstChanged, with the window as it is now."""
    params = {"film": film_id, "start": start, "end": end}
    try:
        with write_connection() as connection:
            removed = connection.execute(_REMOVE, params).all()
            if _digest(vote_id for vote_id, _stars in removed) != digest:
                raise _NotThoseVotes
            connection.execute(_LOCK_TALLY, params)
            after = _per_star(connection.execute(_PER_STAR, params))
            connection.execute(
                update(Tally)
                .where(Tally.film_id == film_id)
                .values(
                    count=sum(after),
                    **dict(zip(Tally.STAR_COLUMNS, after, strict=True)),
                    **revision.NEXT,
                )
            )
    except _NotThoseVotes:
        raise BurstChanged(preview(film_id, start, end)) from None
    return _burst(params, after, removed)
