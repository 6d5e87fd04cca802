"""A film's votes over time, as the admin's chart and table show them."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, func, select

from ..extensions import db
from ..models import Vote, utcnow


@dataclass(frozen=True)
class Day:
    day: date
    votes: int


def per_day(film_id: int, days: int = 30) -> list[Day]:
    """Votes first cast on each of the last `days` days (UTC), today included, none left out."""
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    # date() is a function on SQLite and PostgreSQL alike; the Date type reads SQLite's text.
    day = func.date(Vote.created_at, type_=Date)
    counted = dict(
        db.session.execute(
            select(day, func.count())
            .where(Vote.film_id == film_id, Vote.created_at >= first)
            .group_by(day)
        ).all()
    )
    return [Day(first + timedelta(n), counted.get(first + timedelta(n), 0)) for n in range(days)]
