"""A film's search text, written with the film in its transaction: every writer of a film's
titles or credits calls index_film() (the film-file import does; an admin form must too)."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Film, FilmSearch
from .text import words


def index_film(film: Film) -> None:
    """Set the film's search text from its titles, the names in its credits and its source
    book's author; the full-text index follows in the same transaction (schema.py)."""
    titles = [film.title, film.original_title or ""]
    names = [credit.name for credit in film.credits]
    if film.based_on_author:
        names.append(film.based_on_author)
    if film.search is None:
        film.search = FilmSearch(title="", people="")
    # Folded words, space-separated: both databases' word splitting then sees the same words.
    film.search.title = " ".join(words(" ".join(titles)))
    film.search.people = " ".join(words(" ".join(names)))


def index_all(session: Session) -> None:
    """Every film's search text anew, in the session's transaction (after a data import)."""
    films = session.scalars(select(Film).options(selectinload(Film.credits))).all()
    for film in films:
        index_film(film)
    session.flush()
