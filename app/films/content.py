"""Films are content: TOML files loaded into the database, idempotently, by slug."""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ..core.security import SLUG_PATTERN
from ..extensions import db
from ..models import Credit, Film, Genre, Person, Release, Tally, utcnow
from ..ratings import votes
from ..search import text
from ..search.index import index_film
from . import posters

DEMO = Path(__file__).parent / "demo" / "the-way-back.toml"
CREDIT_ROLES = tuple(role for role, _label in Credit.ROLES)
ARTICLE_PARTS = ("lead", "reception", "plot", "awards", "legacy")


class FilmFileError(ValueError):
    """A film file that cannot be loaded; the message names the file and the field."""


@dataclass
class FilmFile:
    """A validated film file, ready to be written."""

    path: Path
    fields: dict
    credits: list[tuple[str, str, str | None]]
    releases: list[tuple[date, str]]
    seed_votes: dict[int, int] = field(default_factory=dict)
    poster: posters.Poster | None = None
    genres: list[str] = field(default_factory=list)


def _fail(path: Path, name: str, problem: str):
    raise FilmFileError(f"{path}: field '{name}': {problem}")


def _get(path: Path, data: dict, name: str, kind: type, required: bool = True):
    value = data
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        if required:
            _fail(path, name, "is missing")
        return None
    if kind is str and isinstance(value, str) and not value.strip():
        _fail(path, name, "is empty")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        _fail(path, name, f"must be {kind.__name__}, not {type(value).__name__}")
    return value


def _text(path: Path, data: dict, name: str, limit: int, required: bool = True) -> str | None:
    value = _get(path, data, name, str, required)
    if value is not None and len(value) > limit:
        _fail(path, name, f"is longer than {limit} characters")
    return value.strip() if value is not None else None


def _names(path: Path, data: dict, name: str) -> list[str]:
    values = _get(path, data, name, list, required=False) or []
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            _fail(path, f"{name}[{i}]", "must be a non-empty string")
    return [v.strip() for v in values]


def parse(path: Path) -> FilmFile:
    """Read and validate one film file; raise FilmFileError naming the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FilmFileError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FilmFileError(f"{path}: not valid TOML: {error}") from None

    slug = _text(path, data, "slug", 120)
    if not SLUG_PATTERN.match(slug):
        _fail(path, "slug", "use lower-case letters, digits and single hyphens")
    year = _get(path, data, "year", int)
    if not 1870 <= year <= 2200:
        _fail(path, "year", "is not a plausible film year")
    running_time = _get(path, data, "running_time", int, required=False)
    if running_time is not None and not 1 <= running_time <= 6000:
        _fail(path, "running_time", "must be a number of minutes")
    fields = {
        "slug": slug,
        "title": _text(path, data, "title", 300),
        "original_title": _text(path, data, "original_title", 300, required=False),
        "year": year,
        "published_on": _get(path, data, "published", date),
        "is_published": _get(path, data, "is_published", bool, required=False) is not False,
        "running_time": running_time,
        "country": _text(path, data, "country", 200, required=False) or "",
        "languages": ", ".join(_names(path, data, "languages")),
        "based_on_title": _text(path, data, "based_on.title", 300, required=False),
        "based_on_author": _text(path, data, "based_on.author", 300, required=False),
    }
    for part in ARTICLE_PARTS:
        required = part == "lead"
        fields[part] = _text(path, data, f"article.{part}", 50_000, required) or ""

    credits = []
    for role in CREDIT_ROLES:
        entries = _get(path, data, f"credits.{role}", list, required=False) or []
        for i, entry in enumerate(entries):
            if isinstance(entry, str) and entry.strip():
                credits.append((role, entry.strip(), None))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                character = entry.get("character")
                if character is not None and not isinstance(character, str):
                    _fail(path, f"credits.{role}[{i}].character", "must be a string")
                credits.append((role, entry["name"].strip(), character))
            else:
                _fail(path, f"credits.{role}[{i}]", "must be a name or {name, character}")
    unknown = set((data.get("credits") or {}).keys()) - set(CREDIT_ROLES)
    if unknown:
        _fail(path, f"credits.{sorted(unknown)[0]}", f"is not one of {', '.join(CREDIT_ROLES)}")

    releases = []
    for i, entry in enumerate(_get(path, data, "releases", list, required=False) or []):
        where = f"releases[{i}]"
        if not isinstance(entry, dict):
            _fail(path, where, "must be a table with date and place")
        releases.append((_get(path, entry, "date", date), _text(path, entry, "place", 300)))

    seed_votes = {}
    for stars, count in (_get(path, data, "votes", dict, required=False) or {}).items():
        if stars not in {"1", "2", "3", "4", "5"} or not isinstance(count, int) or count < 0:
            _fail(path, f"votes.{stars}", "give a whole count for a star from 1 to 5")
        seed_votes[int(stars)] = count
    poster = _poster(path, _text(path, data, "poster", 255, required=False))
    fields.update(poster.columns() if poster else posters.NO_POSTER)
    genres = _names(path, data, "genres")
    for i, name in enumerate(genres):
        if len(name) > 80:
            _fail(path, f"genres[{i}]", "is longer than 80 characters")
    return FilmFile(path, fields, credits, releases, seed_votes, poster=poster, genres=genres)


def _poster(path: Path, name: str | None) -> posters.Poster | None:
    """The poster named by a film file, a file beside it, processed (app/films/posters.py)."""
    if name is None:
        return None
    if Path(name).name != name or name in {".", ".."}:
        _fail(path, "poster", f"{name}: must be the name of a file beside the film file")
    try:
        return posters.read(path.parent / name)
    except posters.PosterError as error:
        _fail(path, "poster", str(error))


def _one(model, name: str):
    """The person or genre of this name (by its folded slug), made when new."""
    slug = text.slug(name)
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        found = model(slug=slug, name=name)
        db.session.add(found)
    return found


def _write(film_file: FilmFile) -> str:
    """Create or update one film in the session; say what happened."""
    fields = film_file.fields
    film = db.session.scalar(select(Film).where(Film.slug == fields["slug"]))
    credits = [(role, name, character) for role, name, character in film_file.credits]
    if film is None:
        film = Film(**fields)
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
            return "unchanged"
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
    return outcome


def import_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Validate every file first, then load them all in one transaction: all or nothing."""
    parsed = [parse(Path(p)) for p in paths]
    slugs = [f.fields["slug"] for f in parsed]
    if len(set(slugs)) != len(slugs):
        duplicate = next(s for s in slugs if slugs.count(s) > 1)
        raise FilmFileError(f"slug '{duplicate}' appears in more than one file")
    # Files named by their content, kept before the rows that name them; a later failure
    # leaves only files that no row names.
    for film_file in parsed:
        if film_file.poster:
            posters.save(film_file.poster)
    outcomes = [(f.path, _write(f)) for f in parsed]
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
