"""Which films a visitor may see: the lookup that every URL under /films/<slug>/ starts with."""

from flask import abort
from sqlalchemy import bindparam, select

from ..models import Film
from .database import Prepared, read_first

_FILM_ID = Prepared(select(Film.id).where(Film.slug == bindparam("slug"), Film.visible()))


def visible_film_id(slug: str) -> int | None:
    """The id of the visible film with this slug (published, dated today or before), for views
    that need no more of it."""
    row = read_first(_FILM_ID, {"slug": slug})
    return row[0] if row else None


def film_id_or_404(slug: str) -> int:
    """visible_film_id(), or 404."""
    film_id = visible_film_id(slug)
    if film_id is None:
        abort(404)
    return film_id


def any_film_or_404(slug: str) -> Film:
    """For the owners: the film with this slug, published or not, dated or not; else 404."""
    from ..extensions import db

    film = db.session.scalar(select(Film).where(Film.slug == slug))
    if film is None:
        abort(404)
    return film
