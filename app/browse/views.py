"""Blueprint: the pages of a person, a genre and a year, each a list of films paged by key; the
header's ways in: every review, the genres and the years."""

from itertools import groupby

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import bindparam, exists, func, select

from ..core.conditional import LIST_HEADERS, kept_page
from ..core.database import Prepared, read, read_all, read_first
from ..core.urls import site_key
from ..films import cards, keyset, seo
from ..models import Credit, Film, FilmGenre, Genre, Person

bp = Blueprint("browse", __name__)

# What a person page says someone did in a film, per credit role.
DID = {
    "director": "Director",
    "screenplay": "Screenplay",
    "producer": "Producer",
    "starring": "Actor",
    "cinematography": "Cinematography",
    "editor": "Editor",
    "music": "Music",
}
YEARS = range(1870, 2201)  # as a film file's year may be (app/films/content.py)

# Built once: a statement object is cheap to run again, costly to build per request.
_PERSON = Prepared(select(Person.id, Person.name).where(Person.slug == bindparam("slug")))
_GENRE = Prepared(select(Genre.id, Genre.name).where(Genre.slug == bindparam("slug")))
# A person has few films: found from their credits, then sorted.
_PERSON_FILMS = cards.Listing(
    keyset.newest_first(
        cards.CARD_SELECT.where(
            Film.id.in_(select(Credit.film_id).where(Credit.person_id == bindparam("person_id")))
        )
    )
)
# All of a person's credits, a few rows, of which a page shows its films': one statement,
# prepared once, where a list of the page's films would make a new one per page.
_ROLES = Prepared(
    select(Credit.film_id, Credit.role, Credit.character)
    .where(Credit.person_id == bindparam("person_id"))
    .order_by(Credit.film_id, Credit.position)
)
# A genre has many: the films are walked newest first in ix_films_newest from the cursor, each
# looked up in film_genres' primary key, until a page is full; sorting a thousand films per
# page would cost more.
_GENRE_FILMS = cards.Listing(
    keyset.newest_first(
        cards.CARD_SELECT.where(
            exists().where(
                FilmGenre.film_id == Film.id, FilmGenre.genre_id == bindparam("genre_id")
            )
        )
    )
)
_YEAR_FILMS = cards.Listing(
    keyset.newest_first(cards.CARD_SELECT.where(Film.year == bindparam("year")))
)
# Each genre and year with its number of visible films; one without any is not listed.
_GENRE_COUNTS = (
    select(Genre.slug, Genre.name, func.count().label("films"))
    .join(FilmGenre, FilmGenre.genre_id == Genre.id)
    .join(Film, Film.id == FilmGenre.film_id)
    .where(Film.visible())
    .group_by(Genre.id, Genre.slug, Genre.name)
    .order_by(Genre.name)
)
_YEAR_COUNTS = (
    select(Film.year, func.count().label("films"))
    .where(Film.visible(), Film.year.is_not(None))
    .group_by(Film.year)
    .order_by(Film.year.desc())
)


def _page(statement, params: dict) -> keyset.Page:
    page = keyset.page(statement, params, current_app.config["FILMS_PER_PAGE"])
    if not page.films:
        abort(404)  # nothing visible: a page for no film, or only for films yet to come
    return page


def _roles(person_id: int, film_ids: list[int]) -> dict[int, str]:
    """Per film, what the person did in it: `Director, Screenplay, Actor as Janusz`."""
    shown = set(film_ids)
    did: dict[int, list[str]] = {}
    for film_id, role, character in read_all(_ROLES, {"person_id": person_id}):
        if film_id not in shown:
            continue
        words = DID.get(role, role)
        if character:
            words += f" as {character}"
        if words not in did.setdefault(film_id, []):
            did[film_id].append(words)
    return {film_id: ", ".join(parts) for film_id, parts in did.items()}


@bp.get("/reviews")
def reviews():
    """Every review, newest first: the whole archive, a page at a time."""
    page = keyset.page(cards.NEWEST, {}, current_app.config["FILMS_PER_PAGE"])
    return _list("reviews", "", page, "browse.reviews", {})


@bp.get("/genres")
def genres():
    """Every genre that has a visible film, with how many."""
    return render_template("browse/genres.html", genres=read(_GENRE_COUNTS, {}))


@bp.get("/years")
def years():
    """The years that have a visible film, newest decade first, each year with how many."""
    decades = [
        (decade, list(rows))
        for decade, rows in groupby(read(_YEAR_COUNTS, {}), key=lambda row: row.year // 10 * 10)
    ]
    return render_template("browse/years.html", decades=decades)


@bp.get("/people/<slug>")
def person(slug: str):
    """A person's films, newest first, each with their roles in it."""
    found = read_first(_PERSON, {"slug": slug}) or abort(404)
    person_id, name = found
    page = _page(_PERSON_FILMS, {"person_id": person_id})
    roles = _roles(person_id, [film[0] for film in page.films])
    done = tuple(sorted(roles.items()))

    def render():
        shown, films = page.cards()
        return (found, page.version(shown), done), render_template(
            "browse/list.html",
            kind="person",
            name=name,
            page=page,
            args={"slug": slug},
            endpoint="browse.person",
            item_list=seo.item_list(film.slug for film in films),
            cards=[
                cards.card(film, f"person-{slug}-{film.slug}", roles.get(film.id, ""))
                for film in films
            ],
        )

    return kept_page(
        ("browse.person", slug, page.after, *site_key()),
        (found, page.version(cards.version(page.films)), done),
        render,
        LIST_HEADERS,
    )


@bp.get("/genres/<slug>")
def genre(slug: str):
    """A genre's films, newest first."""
    genre_id, name = read_first(_GENRE, {"slug": slug}) or abort(404)
    page = _page(_GENRE_FILMS, {"genre_id": genre_id})
    return _list("genre", name, page, "browse.genre", {"slug": slug})


@bp.get("/years/<int:year>")
def year(year: int):
    """The films of a year, newest review first."""
    if year not in YEARS:
        abort(404)
    page = _page(_YEAR_FILMS, {"year": year})
    return _list("year", str(year), page, "browse.year", {"year": year})


def _list(kind: str, name: str, page: keyset.Page, endpoint: str, args: dict):
    def render():
        shown, films = page.cards()
        return (name, page.version(shown)), render_template(
            "browse/list.html",
            kind=kind,
            name=name,
            page=page,
            args=args,
            endpoint=endpoint,
            item_list=seo.item_list(film.slug for film in films),
            cards=[cards.card(film, f"card-{film.slug}") for film in films],
        )

    return kept_page(
        (endpoint, *args.values(), page.after, *site_key()),
        (name, page.version(cards.version(page.films))),
        render,
        LIST_HEADERS,
    )
