"""The owner's reviews from and to Letterboxd's CSV files.

Import: each row of Letterboxd's export (reviews.csv; diary.csv and ratings.csv have the same
columns less some) becomes a draft film, checked by content.validate() as the admin's form is,
unless a film of that title and year is here already (case and accents folded; its original
title counts too): that one is reported and left as it is, so running an import twice makes
nothing the second time. Every row is checked before anything is written, in one transaction.

Export: the films with the owner's score or review, in the columns Letterboxd's importer reads.
"""

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import or_, select

from ..core.database import snapshot, write_transaction
from ..core.parsing import NotAWholeNumber, whole_number
from ..core.urls import path_for
from ..extensions import db
from ..films import content
from ..models import Film, Redirect, User
from ..search.text import fold
from ..search.text import slug as slug_of
from . import review_text

# Our names for the columns, and the names Letterboxd gives them: its export's, then its
# importer's (which is what `export` writes, so that an export reads back in).
COLUMNS = {
    "title": ("Name", "Title"),
    "year": ("Year",),
    "rating": ("Rating",),
    "review": ("Review",),
    "watched": ("Watched Date", "WatchedDate"),
    "logged": ("Date",),
}
REQUIRED = ("title", "year")
# What content.validate() calls a field, as the column it came from.
FIELD_COLUMNS = {
    "title": "title",
    "slug": "title",
    "year": "year",
    "score": "rating",
    "body": "review",
}
EXPORT_COLUMNS = ("Title", "Year", "Rating", "WatchedDate", "Review")

# A rating without a review (ratings.csv, a diary entry) is a draft whose review is still to be
# written: checked as the form checks a film, with the body the form would need, kept empty.
_REVIEW_TO_WRITE = "-"


class LetterboxdError(ValueError):
    """A file that cannot be read or imported; the message names the row; nothing changed."""


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    title: str
    year: int
    data: dict


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            *(f"new draft: {line}" for line in self.created),
            *(f"already here, left as it is: {line}" for line in self.existing),
            *(f"again in the file, skipped: {line}" for line in self.repeated),
            f"{len(self.created)} new drafts, {len(self.existing)} already here,"
            f" {len(self.repeated)} repeated",
        ]


def _key(title: str, year: int | None) -> tuple[str, int | None]:
    return " ".join(fold(title).split()), year


def read(path: Path) -> list[Row]:
    """Every row of the file, checked as the admin's form checks a film; LetterboxdError at the
    first row that is not one."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.DictReader(stream)
            names = _columns(rows.fieldnames or [], path)
            return [_row(raw, number, names, path) for number, raw in enumerate(rows, start=2)]
    except UnicodeDecodeError:
        raise LetterboxdError(f"{path.name}: not UTF-8 text, as Letterboxd writes it") from None
    except csv.Error as error:
        raise LetterboxdError(f"{path.name}: not a CSV file: {error}") from None


def _columns(header: list[str], path: Path) -> dict[str, str]:
    """Which of the file's columns is each of ours."""
    found = {
        ours: next((name for name in theirs if name in header), None)
        for ours, theirs in COLUMNS.items()
    }
    missing = [" or ".join(COLUMNS[ours]) for ours in REQUIRED if found[ours] is None]
    if missing:
        raise LetterboxdError(
            f"{path.name}: no column {', '.join(missing)} (its columns: {', '.join(header)})"
        )
    return {ours: name for ours, name in found.items() if name is not None}


def _row(raw: dict, number: int, names: dict[str, str], path: Path) -> Row:
    where = f"{path.name} row {number}"
    if None in raw:
        raise LetterboxdError(f"{where}: more values than the header has columns")
    text = {ours: (raw.get(name) or "").strip() for ours, name in names.items()}
    problems: dict[str, str] = {}
    data: dict = {"is_published": False, "title": text["title"] or None}
    if text["title"]:
        data["slug"] = slug_of(text["title"])
    try:
        data["year"] = whole_number(text["year"], lo=0, hi=9999) if text["year"] else None
    except NotAWholeNumber:
        problems["year"] = f"{text['year']!r} is not a year such as 2010"
    if text.get("rating"):
        try:
            data["score"] = float(text["rating"])
        except ValueError:
            problems["rating"] = f"{text['rating']!r} is not 0.5 to 5 stars"
    dated_by = "watched" if text.get("watched") else "logged"
    day = text.get(dated_by)
    try:
        data["published"] = date.fromisoformat(day) if day else datetime.now(UTC).date()
    except ValueError:
        problems[dated_by] = f"{day!r} is not a date such as 2024-07-20"
    if text.get("review"):
        data["body"] = review_text.to_markdown(text["review"])
    if not problems:
        try:
            _checked(data)
        except content.InvalidFilm as invalid:
            problems = {FIELD_COLUMNS.get(name, name): why for name, why in invalid.errors.items()}
    if problems:
        ours, why = next(iter(problems.items()))
        raise LetterboxdError(f"{where}: {names.get(ours, ours)} {why}")
    return Row(number, data["title"], data["year"], data)


def _checked(data: dict) -> content.FilmFile:
    """The row as content.validate() takes a film; InvalidFilm for each problem."""
    film_file = content.validate({**data, "body": data.get("body") or _REVIEW_TO_WRITE})
    film_file.fields["body"] = data.get("body", "")
    return film_file


def _owner(email: str | None) -> User:
    owners = db.session.scalars(select(User).order_by(User.email)).all()
    if email is not None:
        found = next((o for o in owners if o.email == email.strip().casefold()), None)
        if found is None:
            raise LetterboxdError(f"no owner with the email {email.strip().casefold()}")
        return found
    if len(owners) == 1:
        return owners[0]
    if not owners:
        raise LetterboxdError("no owner yet to sign the reviews: `flask users create` one")
    emails = ", ".join(o.email for o in owners)
    raise LetterboxdError(f"whose reviews are these? name one with --owner ({emails})")


class _Slugs:
    """The addresses a new film may not take: every film's, and every film's former one (its
    old links answer with a 301 to it, app/core/redirects.py, and must go on doing so)."""

    def __init__(self, session):
        self.taken = set(session.scalars(select(Film.slug)))
        self.old_paths = set(
            session.scalars(select(Redirect.old_path).where(Redirect.film_id.is_not(None)))
        )

    def free(self, wanted: str, year: int) -> str:
        """The title's slug, else with its year (a remake's), else numbered."""
        slug, n = wanted, 1
        while slug in self.taken or path_for("films.show", slug=slug) in self.old_paths:
            n += 1
            stem = wanted[: 120 - 10].rstrip("-")
            slug = f"{stem}-{year}" if n == 2 else f"{stem}-{year}-{n - 1}"
        self.taken.add(slug)
        return slug


class _DryRun(Exception):
    """Raised at the end of a dry run: the transaction is rolled back, nothing kept."""


def import_file(path: Path, owner_email: str | None = None, dry_run: bool = False) -> Report:
    """A draft per film of the file not yet here, signed by the owner; one transaction, rolled
    back at the end of a dry run. LetterboxdError, and nothing changed, for a bad file."""
    rows = read(path)
    report = Report()
    try:
        with write_transaction() as session:
            owner = _owner(owner_email)
            known: dict[tuple, str] = {}
            for slug, title, original, year in session.execute(
                select(Film.slug, Film.title, Film.original_title, Film.year)
            ):
                for name in filter(None, (title, original)):
                    known.setdefault(_key(name, year), slug)
            slugs = _Slugs(session)
            first_row: dict[tuple, int] = {}
            for row in rows:
                label = f"row {row.number}: {row.title} ({row.year})"
                key = _key(row.title, row.year)
                if key in first_row:
                    report.repeated.append(f"{label}, as row {first_row[key]}")
                    continue
                first_row[key] = row.number
                if key in known:
                    report.existing.append(f"{label} is {path_for('films.show', slug=known[key])}")
                    continue
                row.data["slug"] = slugs.free(row.data["slug"], row.year)
                film, _outcome = content.write(_checked(row.data))
                film.author = owner
                report.created.append(f"{label} as {path_for('films.show', slug=film.slug)}")
            session.flush()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def export_file(path: Path) -> tuple[int, int]:
    """Write the films with the owner's score or review to a new CSV file at path, in
    Letterboxd's import columns; how many, and how many of them have no year."""
    written = without_year = 0
    try:
        with snapshot() as session, path.open("x", newline="", encoding="utf-8") as stream:
            out = csv.writer(stream)
            out.writerow(EXPORT_COLUMNS)
            films = session.scalars(
                select(Film)
                .where(or_(Film.score_halves.is_not(None), Film.body != ""))
                .order_by(Film.published_on, Film.id)
            )
            for film in films:
                rating = f"{film.score_halves / 2:g}" if film.score_halves else ""
                year = film.year if film.year is not None else ""
                review = review_text.to_letterboxd(film.body)
                out.writerow((film.title, year, rating, film.published_on.isoformat(), review))
                written += 1
                without_year += film.year is None
    except FileExistsError:
        raise LetterboxdError(f"{path} exists; name a new file") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return written, without_year
