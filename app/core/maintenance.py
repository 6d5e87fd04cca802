"""Keeping the data sound: `ratings verify` (tallies against their votes) and SQLite backups."""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, func, select, update

from ..extensions import db
from ..models import Tally, Vote
from . import revision
from .database import snapshot, write_connection


class NotSQLite(RuntimeError):
    """An SQLite-only operation was asked of another database."""


@dataclass(frozen=True)
class Drift:
    film_id: int
    counted: tuple[int, ...]
    recorded: tuple[int, ...]


# (count, 1..5 stars), as a tally records it and as its votes say it.
_RECORDED = select(Tally.film_id, Tally.count, *Tally.star_columns()).order_by(Tally.film_id)
_COUNTED = select(Vote.film_id, Vote.stars, func.count()).group_by(Vote.film_id, Vote.stars)
_LOCK_TALLY = (
    select(Tally.count, *Tally.star_columns())
    .where(Tally.film_id == bindparam("film"))
    .with_for_update()
)
_RECOUNT = (
    select(Vote.stars, func.count()).where(Vote.film_id == bindparam("film")).group_by(Vote.stars)
)


def _as_tally(per_star: list[int]) -> tuple[int, ...]:
    return (sum(per_star), *per_star)


def verify(fix: bool = False) -> list[Drift]:
    """The tallies that differ from their votes; with fix, each corrected.

    The check reads votes and tallies in one snapshot (app/core/database.py), so a vote cast
    meanwhile is either in both or in neither, and no writer waits for it. A fix then recounts
    each drifting film again with its tally locked: the votes of the moment, not the snapshot's,
    are what it writes; a drift gone by then (a vote that moved on) is not reported.
    """
    with snapshot() as session:
        counted: dict[int, list[int]] = {}
        for film_id, stars, n in session.execute(_COUNTED):
            counted.setdefault(film_id, [0] * 5)[stars - 1] = n
        drifts = [
            Drift(row.film_id, real, tuple(row[1:]))
            for row in session.execute(_RECORDED)
            if (real := _as_tally(counted.get(row.film_id, [0] * 5))) != tuple(row[1:])
        ]
    if not fix:
        return drifts
    return [fixed for drift in drifts if (fixed := _fix(drift.film_id)) is not None]


def _fix(film_id: int) -> Drift | None:
    """Set one film's tally to its votes in a short write transaction of its own, the tally row
    locked first (on SQLite the write lock is), so that no vote moves it between the recount and
    the write; None when it no longer drifts."""
    params = {"film": film_id}
    with write_connection() as connection:
        row = connection.execute(_LOCK_TALLY, params).one_or_none()
        if row is None:
            return None  # The film was deleted meanwhile.
        per_star = [0] * 5
        for stars, n in connection.execute(_RECOUNT, params):
            per_star[stars - 1] = n
        counted, recorded = _as_tally(per_star), tuple(row)
        if counted == recorded:
            return None
        connection.execute(
            update(Tally)
            .where(Tally.film_id == film_id)
            .values(count=counted[0], **dict(zip(Tally.STAR_COLUMNS, per_star, strict=True)))
        )
        revision.page_changed(connection, [film_id])
    return Drift(film_id, counted, recorded)


def backup_sqlite(destination: Path) -> None:
    """Copy the live SQLite database to a new file with SQLite's online backup API."""
    if db.engine.dialect.name != "sqlite":
        raise NotSQLite(
            f"backup copies SQLite databases; this one is {db.engine.dialect.name}."
            " For PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=marquee.dump DBNAME"
        )
    if destination.exists():
        raise FileExistsError(f"{destination} exists; name a new file")
    target = sqlite3.connect(destination)
    try:
        with db.engine.connect() as connection:
            # Pages written meanwhile by other workers are copied again: the copy is consistent.
            connection.connection.driver_connection.backup(target)
        target.close()
    except BaseException:
        target.close()
        destination.unlink(missing_ok=True)
        raise
