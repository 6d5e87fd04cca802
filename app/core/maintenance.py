"""Keeping the data sound: `ratings verify` (tallies against their votes) and SQLite backups."""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ..extensions import db
from ..films import revision
from ..models import Tally, Vote
from .database import write_transaction


class NotSQLite(RuntimeError):
    """An SQLite-only operation was asked of another database."""


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
                    for name, n in zip(Tally.STAR_COLUMNS, real, strict=True):
                        setattr(tally, name, n)
        if fix:
            revision.page_changed(session, [drift.film_id for drift in drifts])
        else:
            session.rollback()
        return drifts


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
