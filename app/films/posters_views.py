"""Blueprint: posters' renditions and title cards, under content-hashed URLs cached a year."""

import re

from flask import Blueprint, abort, current_app
from sqlalchemy import bindparam, select

from ..core.assets import COMPRESSORS, compress, immutable
from ..core.cache import cache
from ..core.database import read_row
from ..models import Film
from . import posters, title_cards

bp = Blueprint("posters", __name__)

_DIGEST = re.compile(r"[0-9a-f]{16}")
_RENDITION = re.compile(r"[0-9]{1,4}\.(?:webp|jpg)")
# Built once: a statement object is cheap to run again, costly to build per request.
_TITLE = select(Film.title, Film.year).where(Film.slug == bindparam("slug"), Film.visible())
# The SVG cards of about a page of films, with their compressed copies.
CARDS_KEPT = 64


@bp.get("/posters/<digest>/<name>")
def rendition(digest: str, name: str):
    """One rendition of a poster; an unknown digest or name is 404."""
    if not (_DIGEST.fullmatch(digest) and _RENDITION.fullmatch(name)):
        abort(404)
    path = posters.file_path(digest, name)
    if path is None:
        abort(404)
    return immutable(name, path.read_bytes())


@bp.get("/posters/title-cards/<slug>/<digest>.<any(svg, png):extension>")
def title_card(slug: str, digest: str, extension: str):
    """A film's title card, as SVG for pages or PNG for link previews; 404 unless the digest
    is that of what the visible film's card shows now."""
    film = read_row(_TITLE, {"slug": slug})
    if film is None or title_cards.digest(film.title, film.year) != digest:
        abort(404)
    site_name = current_app.config["SITE_NAME"]
    if extension == "png":
        # Made once for every server sharing the poster directory, on its first request.
        path = posters.directory() / "title-cards" / f"{digest}.png"
        if not path.is_file():
            posters.keep(path, title_cards.png(film.title, film.year, site_name))
        return immutable(path.name, path.read_bytes())

    def build() -> dict[str, bytes]:
        data = title_cards.svg(film.title, film.year, site_name).encode()
        return {"": data, **{encoding: compress(data, encoding) for encoding in COMPRESSORS}}

    copies = cache("title_cards", CARDS_KEPT).get(digest, site_name, build)
    return immutable("card.svg", copies[""], copies.__getitem__)
