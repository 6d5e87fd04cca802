"""Films are content: TOML files loaded into the database, idempotently, by slug."""

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit

import tomli_w
from flask import current_app
from sqlalchemy import select

from ..core import article, markdown, sizes
from ..core.parsing import control_character
from ..core.security import SLUG_PATTERN
from ..extensions import db
from ..models import Credit, Film, Genre, Person, Release, Tally, utcnow
from ..ratings import votes
from ..search import text
from ..search.index import index_film
from . import posters

DEMO = Path(__file__).parent / "demo" / "the-way-back.toml"
CREDIT_ROLES = tuple(role for role, _label in Credit.ROLES)
# The score a file or the form gives: 0.5 to 5 stars in half steps, kept as half stars.
SCORES = tuple(halves / 2 for halves in range(1, 11))
# The years and running times (minutes) a film may have, both ends included.
YEARS = (1870, 2200)
RUNNING_TIMES = (1, 6000)


class FilmFileError(ValueError):
    """A film file that cannot be loaded; the message names the file and the field."""


class InvalidFilm(ValueError):
    """A film that is not valid: every problem found, by field name (`credits.starring[2]`),
    in the order the fields are checked."""

    def __init__(self, errors: dict[str, str]):
        name, problem = next(iter(errors.items()))
        super().__init__(f"field '{name}': {problem}")
        self.errors = errors


@dataclass
class FilmFile:
    """A validated film, from a file (`path`) or from the admin's form, ready to be written."""

    path: Path | None
    fields: dict
    credits: list[tuple[str, str, str | None]]
    releases: list[tuple[date, str]]
    seed_votes: dict[int, int] = field(default_factory=dict)
    poster: posters.Poster | None = None
    genres: list[str] = field(default_factory=list)


class _Check:
    """Reads fields of a film's plain dict, noting each problem instead of stopping at it."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def fail(self, name: str, problem: str) -> None:
        self.errors.setdefault(name, problem)

    def get(self, data: dict, name: str, kind: type, required: bool = True, where: str = ""):
        value = data
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        name = where + name
        if value is None:
            if required:
                self.fail(name, "is missing")
            return None
        if kind is str and isinstance(value, str) and not value.strip():
            return self.fail(name, "is empty")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return self.fail(name, f"must be {kind.__name__}, not {type(value).__name__}")
        return value

    def text(
        self, data: dict, name: str, limit: int, required: bool = True, where: str = ""
    ) -> str | None:
        value = self.get(data, name, str, required, where)
        if value is not None and len(value) > limit:
            return self.fail(where + name, f"is longer than {limit} characters")
        return value.strip() if value is not None else None

    def names(self, data: dict, name: str) -> list[str]:
        values = self.get(data, name, list, required=False) or []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"{name}[{i}]", "must be a non-empty string")
        return [v.strip() for v in values if isinstance(v, str)]

    def plain(self, data: dict) -> None:
        """Every string anywhere in `data`, refused where it holds a control character."""
        for name, value in _strings(data):
            if found := control_character(value):
                self.fail(name, f"holds a control character ({found}); remove it")


def _strings(data, name: str = "") -> Iterator[tuple[str, str]]:
    """Every string anywhere in a film's plain dict, with its field's name (`credits.cast[2]`)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{name}.{key}" if name else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{name}[{i}]")
    elif isinstance(data, str):
        yield name, data


def validate(data: dict) -> FilmFile:
    """The one definition of a valid film, for a TOML file's table and the admin's form alike;
    InvalidFilm with every problem by field."""
    check = _Check()
    check.plain(data)
    slug = check.text(data, "slug", sizes.SLUG)
    if slug is not None and not SLUG_PATTERN.match(slug):
        check.fail("slug", "use lower-case letters, digits and single hyphens")
    year = check.get(data, "year", int)
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        check.fail("year", "is not a plausible film year")
    running_time = check.get(data, "running_time", int, required=False)
    if running_time is not None and not RUNNING_TIMES[0] <= running_time <= RUNNING_TIMES[1]:
        check.fail("running_time", "must be a number of minutes")
    fields = {
        "slug": slug,
        "title": check.text(data, "title", sizes.TITLE),
        "original_title": check.text(data, "original_title", sizes.TITLE, required=False),
        "year": year,
        "published_on": check.get(data, "published", date),
        "is_published": check.get(data, "is_published", bool, required=False) is not False,
        "running_time": running_time,
        "country": check.text(data, "country", sizes.COUNTRY, required=False) or "",
        "languages": ", ".join(check.names(data, "languages")),
        "based_on_title": check.text(data, "based_on.title", sizes.TITLE, required=False),
        "based_on_author": check.text(data, "based_on.author", sizes.TITLE, required=False),
    }
    fields["body"] = _body(check, data)
    fields["score_halves"] = _score_halves(check, data)
    fields["verdict"] = check.text(data, "verdict", sizes.VERDICT, required=False)
    if len(fields["languages"]) > sizes.LANGUAGES:
        check.fail("languages", f"are longer than {sizes.LANGUAGES} characters together")

    credits = []
    for role in CREDIT_ROLES:
        entries = check.get(data, f"credits.{role}", list, required=False) or []
        for i, entry in enumerate(entries):
            name = entry.get("name") if isinstance(entry, dict) else entry
            if not isinstance(name, str) or not name.strip():
                check.fail(f"credits.{role}[{i}]", "must be a name or {name, character}")
                continue
            character = entry.get("character") if isinstance(entry, dict) else None
            if character is not None and not isinstance(character, str):
                check.fail(f"credits.{role}[{i}].character", "must be a string")
                continue
            if max(len(name), len(character or "")) > sizes.NAME:
                check.fail(f"credits.{role}[{i}]", f"is longer than {sizes.NAME} characters")
            credits.append((role, name.strip(), character.strip() if character else None))
    if len(credits) > sizes.CREDITS:
        check.fail("credits", f"list at most {sizes.CREDITS} people and companies")
    credits_table = data.get("credits")
    unknown = set(credits_table.keys() if isinstance(credits_table, dict) else ()) - set(
        CREDIT_ROLES
    )
    if unknown:
        check.fail(f"credits.{sorted(unknown)[0]}", f"is not one of {', '.join(CREDIT_ROLES)}")

    releases = []
    listed = check.get(data, "releases", list, required=False) or []
    if len(listed) > sizes.RELEASES:
        check.fail("releases", f"list at most {sizes.RELEASES}")
    for i, entry in enumerate(listed):
        where = f"releases[{i}]"
        if not isinstance(entry, dict):
            check.fail(where, "must be a table with date and place")
            continue
        day = check.get(entry, "date", date, where=f"{where}.")
        place = check.text(entry, "place", sizes.NAME, where=f"{where}.")
        if day is not None and place is not None:
            releases.append((day, place))

    seed_votes = {}
    for stars, count in (check.get(data, "votes", dict, required=False) or {}).items():
        whole = isinstance(count, int) and not isinstance(count, bool)
        if stars not in {"1", "2", "3", "4", "5"} or not (whole and 0 <= count <= sizes.SEED_VOTES):
            problem = f"give a whole count up to {sizes.SEED_VOTES:,} for a star from 1 to 5"
            check.fail(f"votes.{stars}", problem)
            continue
        seed_votes[int(stars)] = count
    genres = check.names(data, "genres")
    if len(genres) > sizes.GENRES:
        check.fail("genres", f"list at most {sizes.GENRES}")
    for i, name in enumerate(genres):
        if len(name) > sizes.GENRE:
            check.fail(f"genres[{i}]", f"is longer than {sizes.GENRE} characters")
    # A poster is named by a file (the file beside it is read by parse()); never by the form.
    check.text(data, "poster", 255, required=False)
    if check.errors:
        raise InvalidFilm(check.errors)
    return FilmFile(None, fields, credits, releases, seed_votes, genres=genres)


def _body(check: _Check, data: dict) -> str:
    """The review's Markdown: `body`, or an older file's `[article]` parts folded into it."""
    if "article" not in data:
        body = check.text(data, "body", sizes.BODY) or ""
    elif "body" in data:
        return check.fail("body", "give the body or an [article] table, not both") or ""
    else:
        parts = {p: check.text(data, f"article.{p}", 50_000, p == "lead") for p in article.PARTS}
        body = article.fold(parts)
    if problem := unsafe_body(body):
        check.fail("body", problem)
    return body


def unsafe_body(body: str) -> str | None:
    """A review too long or with a link that is not to a web page or mail address, as the
    problem to show by the body."""
    if len(body) > Film.BODY_MAX:
        return f"is longer than {Film.BODY_MAX} characters"
    if unsafe := markdown.unsafe_link(body):
        return f"links to {unsafe[:80]}, which is not a web page or mail address"
    return None


def _score_halves(check: _Check, data: dict) -> int | None:
    score = data.get("score")
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or score not in SCORES:
        return check.fail("score", "must be 0.5 to 5 in half stars, such as 4 or 4.5")
    return round(score * 2)


def missing_film_link(
    body: str, slug: str | None, also: frozenset[str] = frozenset()
) -> str | None:
    """A link in the body of the film at `slug` to a film of this site that does not exist
    (nor comes in `also`, the films imported with it), as the problem to show by the body."""
    config = current_app.config
    host = urlsplit(config.get("SITE_URL") or "").netloc or config.get("SERVER_NAME") or ""
    named = markdown.film_slugs(body, host) - also
    named.discard(slug)
    if not named:
        return None
    found = set(db.session.scalars(select(Film.slug).where(Film.slug.in_(named))))
    missing = sorted(named - found)
    return f"links to /films/{missing[0]}, which is no film of this site" if missing else None


def parse(path: Path) -> FilmFile:
    """Read and validate one film file; raise FilmFileError naming the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FilmFileError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FilmFileError(f"{path}: not valid TOML: {error}") from None
    try:
        film_file = validate(data)
        # Only a file has a folder for the poster it names to be beside.
        film_file.poster = _poster(path, data.get("poster"))
    except InvalidFilm as invalid:
        raise FilmFileError(f"{path}: {invalid}") from None
    film_file.path = path
    poster = film_file.poster
    film_file.fields.update(poster.columns() if poster else posters.NO_POSTER)
    return film_file


def _poster(path: Path, name: str | None) -> posters.Poster | None:
    """The poster named by a film file, a file beside it, processed (app/films/posters.py)."""
    if name is None:
        return None
    if Path(name).name != name or name in {".", ".."}:
        raise InvalidFilm({"poster": f"{name}: must be the name of a file beside the film file"})
    try:
        return posters.read(path.parent / name)
    except posters.PosterError as error:
        raise InvalidFilm({"poster": str(error)}) from None


def _one(model, name: str):
    """The person or genre of this name (by its folded slug), made when new."""
    slug = text.slug(name)
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        found = model(slug=slug, name=name)
        db.session.add(found)
    return found


def write(film_file: FilmFile, film: Film | None = None) -> tuple[Film, str]:
    """Create or update one film in the session (`film`, else the one with the file's slug);
    the film, and what happened: created, updated or unchanged."""
    fields = film_file.fields
    if film is None:
        film = db.session.scalar(select(Film).where(Film.slug == fields["slug"]))
    credits = [(role, name, character) for role, name, character in film_file.credits]
    if film is None:
        # Dated no later than its day, so that the page says "Updated" only after a change.
        start = datetime.combine(fields["published_on"], time())
        film = Film(**fields, updated_at=min(utcnow(), start))
        film.tally = Tally(count=0, s1=0, s2=0, s3=0, s4=0, s5=0)
        db.session.add(film)
        outcome = "created"
    else:
        current = (
            {key: getattr(film, key) for key in fields},
            [(c.role, c.name, c.character) for c in film.credits],
            [(r.released_on, r.place) for r in film.releases],
            sorted(genre.name for genre in film.genres),
        )
        if current == (fields, credits, film_file.releases, sorted(film_file.genres)):
            return film, "unchanged"
        for key, value in fields.items():
            setattr(film, key, value)
        film.updated_at = utcnow()
        outcome = "updated"
    film.credits = [
        Credit(
            role=role,
            name=name,
            character=character,
            position=i,
            person=None if role in Credit.COMPANY_ROLES else _one(Person, name),
        )
        for i, (role, name, character) in enumerate(credits)
    ]
    # Two spellings of one genre (`Sci-fi`, `sci fi`) are the one genre.
    film.genres = list({g.slug: g for g in (_one(Genre, n) for n in film_file.genres)}.values())
    film.releases = [
        Release(released_on=day, place=place, position=i)
        for i, (day, place) in enumerate(film_file.releases)
    ]
    index_film(film)
    return film, outcome


def import_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Validate every file first, then load them all in one transaction: all or nothing."""
    parsed = [parse(Path(p)) for p in paths]
    slugs = [f.fields["slug"] for f in parsed]
    if len(set(slugs)) != len(slugs):
        duplicate = next(s for s in slugs if slugs.count(s) > 1)
        raise FilmFileError(f"slug '{duplicate}' appears in more than one file")
    for film_file in parsed:
        fields = film_file.fields
        if problem := missing_film_link(fields["body"], fields["slug"], frozenset(slugs)):
            raise FilmFileError(f"{film_file.path}: field 'body': {problem}")
    # Files named by their content, kept before the rows that name them; a later failure
    # leaves only files that no row names.
    for film_file in parsed:
        if film_file.poster:
            posters.save(film_file.poster)
    outcomes = [(f.path, write(f)[1]) for f in parsed]
    db.session.commit()
    for film_file in parsed:
        _seed_votes(film_file)
    return outcomes


def _seed_votes(film_file: FilmFile) -> None:
    """The votes a file starts with (the demo's one 5-star vote), cast once under fixed ids."""
    film_id = db.session.scalar(select(Film.id).where(Film.slug == film_file.fields["slug"]))
    for stars, count in film_file.seed_votes.items():
        for i in range(count):
            votes.seed(film_id, f"seed-{stars}-{i}", stars)


def as_data(film: Film) -> dict:
    """A film as the plain dict a film file holds (what validate() reads), without its votes."""
    data: dict = {
        "slug": film.slug,
        "title": film.title,
        # None for a film imported from a blog, until the owner gives it one.
        **({"year": film.year} if film.year is not None else {}),
        "published": film.published_on,
        "is_published": film.is_published,
    }
    if film.original_title:
        data["original_title"] = film.original_title
    if film.genres:
        data["genres"] = sorted(genre.name for genre in film.genres)
    if film.running_time is not None:
        data["running_time"] = film.running_time
    if film.country:
        data["country"] = film.country
    if film.languages:
        data["languages"] = film.languages.split(", ")
    based_on = {"title": film.based_on_title, "author": film.based_on_author}
    if any(based_on.values()):
        data["based_on"] = {key: value for key, value in based_on.items() if value}
    if film.score_halves is not None:
        data["score"] = film.score_halves / 2
    if film.verdict:
        data["verdict"] = film.verdict
    data["body"] = film.body
    credits: dict[str, list] = {}
    for credit in film.credits:
        entry = {"name": credit.name, "character": credit.character}
        credits.setdefault(credit.role, []).append(entry if credit.character else credit.name)
    data["credits"] = credits
    data["releases"] = [{"date": r.released_on, "place": r.place} for r in film.releases]
    return data


def to_toml(film: Film) -> str:
    """The film's file, as `flask films import` reads back unchanged. Written by a TOML writer
    (tomli-w), never by formatting strings: no title or text can end a string and start a key."""
    data = as_data(film)
    # Text keeps its lines readable, unless a carriage return is in it: tomli-w writes the
    # lines of a multi-line string with \n alone, so \r\n would come back as \n.
    readable = not any("\r" in text for _name, text in _strings(data))
    return "# Exported from Marquee.\n" + tomli_w.dumps(data, multiline_strings=readable)
