"""Views: the films, listed, searched, created, edited and exported as TOML."""

from . import bp


@bp.get("/films")
def films():
    """Every film, searched by title, a page at a time."""
    return "", 204


@bp.get("/films/<slug>")
def edit_film(slug: str):
    """The film's form."""
    return "", 204
