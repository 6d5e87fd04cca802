"""Letterboxd's CSV files: its export's reviews.csv into draft reviews, and the owner's reviews
out in the columns Letterboxd's importer reads.

A film here is matched by title and year (case and accents folded): one that exists is left as
it is and reported, so that an import never overwrites what the owner wrote here.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select

from ..core import markdown
from ..core.article import plain_to_markdown
from ..core.database import write_transaction
from ..extensions import db
from ..models import Film, Tally
from ..search.index import index_film
from ..search.text import fold
from ..search.text import slug as make_slug

COLUMNS = ("Date", "Name", "Year", "Letterboxd URI", "Rating")
EXPORT_COLUMNS = ("Title", "Year", "Rating", "WatchedDate", "Rewatch", "Review")


class LetterboxdError(ValueError):
    """A file that cannot be imported: the message names the line; nothing has changed."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{len(self.created)} new drafts",
            *(f"created: {line}" for line in self.created),
            *(f"already here, left as it is: {line}" for line in self.existing),
        ]


def _score_halves(raw: str, line: int) -> int | None:
    if not raw.strip():
        return None
    try:
        halves = Decimal(raw.strip()) * 2
    except InvalidOperation:
        raise LetterboxdError(f"line {line}: Rating {raw!r} is not a number of stars") from None
    if halves != halves.to_integral_value() or not 1 <= halves <= 10:
        raise LetterboxdError(f"line {line}: Rating {raw!r} is not 0.5 to 5 stars in halves")
    return int(halves)


def _day(raw: str, line: int, column: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise LetterboxdError(f"line {line}: {column} {raw!r} is not a date (YYYY-MM-DD)") from None


def import_reviews(path: Path) -> Report:
    """A draft review per film of the file not yet here, with the owner's score and review."""
    report = Report()
    with write_transaction():
        known = {
            (fold(title), year) for title, year in db.session.execute(select(Film.title, Film.year))
        }
        slugs = set(db.session.scalars(select(Film.slug)))
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.DictReader(stream)
            if missing := [c for c in COLUMNS if c not in (rows.fieldnames or [])]:
                raise LetterboxdError(f"{path.name}: no column {', '.join(missing)}")
            for row in rows:
                # The file's line (a review may run over several): where its record ends.
                _film(row, rows.line_num, known, slugs, report)
    return report


def _film(row: dict, line: int, known: set, slugs: set, report: Report) -> None:
    title = (row["Name"] or "").strip()
    if not title:
        raise LetterboxdError(f"line {line}: no Name")
    year_raw = (row["Year"] or "").strip()
    if year_raw and not (year_raw.isdigit() and 1870 <= int(year_raw) <= 2200):
        raise LetterboxdError(f"line {line}: Year {year_raw!r} is not a film's year")
    year = int(year_raw) if year_raw else None
    named = f"{title} ({year})" if year else title
    score = _score_halves(row["Rating"] or "", line)
    watched = row.get("Watched Date") or row["Date"]
    published = _day(watched, line, "Watched Date" if row.get("Watched Date") else "Date")
    if (fold(title), year) in known:
        report.existing.append(named)
        return
    known.add((fold(title), year))
    wanted = make_slug(f"{title} {year}" if year else title)
    slug, n = wanted, 1
    while slug in slugs:
        n += 1
        slug = f"{wanted}-{n}"
    slugs.add(slug)
    film = Film(
        slug=slug,
        title=title,
        year=year,
        published_on=published,
        is_published=False,  # a draft: the owner publishes it when it is ready
        body=plain_to_markdown(row.get("Review") or ""),
        score_halves=score,
        tally=Tally(count=0, s1=0, s2=0, s3=0, s4=0, s5=0),
    )
    db.session.add(film)
    index_film(film)
    report.created.append(named)


def export_reviews(path: Path) -> int:
    """Every film with the owner's score or review, as Letterboxd's importer reads it; how
    many. The review goes as the HTML the page shows (Letterboxd keeps its simple tags)."""
    films = db.session.scalars(
        select(Film)
        .where((Film.score_halves.is_not(None)) | (Film.body != ""))
        .order_by(Film.published_on, Film.id)
    ).all()
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(_row(film) for film in films)
    return len(films)


def _row(film: Film) -> Iterable:
    rating = "" if film.score_halves is None else f"{film.score_halves / 2:g}"
    review = str(markdown.render(film.body)).strip() if film.body else ""
    return (film.title, film.year or "", rating, film.published_on.isoformat(), "false", review)
