"""Blueprint: the search page, and its results alone for htmx's active search."""

import unicodedata

from flask import Blueprint, render_template, request

from ..core import transfer
from ..core.conditional import LIST_HEADERS, kept_page
from ..core.urls import site_key
from ..core.web import is_htmx
from ..films import cards
from .index import index_all
from .query import MAX_LENGTH, BadQuery, check, search

bp = Blueprint("search", __name__)
# An import of a site's data (app/core/transfer.py) makes the search text anew.
bp.record_once(lambda state: transfer.derives(state.app, index_all))

# The results alone for htmx, the whole page otherwise and when htmx restores history.
_HEADERS = {"Vary": "HX-Request, HX-History-Restore-Request", **LIST_HEADERS}


@bp.get("/search")
def results():
    """Films found by title, original title or the names credited, best match first."""
    raw = request.args.get("q", "")
    fragment = is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"

    def render(films: list | None, error: str | None = None) -> str:
        return render_template(
            "search/_results.html" if fragment else "search/page.html",
            # What the box shows again: never a character that HTML cannot hold.
            q="".join(c for c in raw if unicodedata.category(c) != "Cc")[:MAX_LENGTH],
            cards=None if films is None else [cards.card(f, f"card-{f.slug}") for f in films],
            error=error,
        )

    try:
        query = check(raw).strip()
    except BadQuery as refused:
        return render(None, str(refused)), 400, _HEADERS
    found = search(query) if query else None

    def render_found():
        if found is None:
            return None, render(None)
        shown, films = found[0].cards(found[1])
        return shown, render(films)

    version = None if found is None else cards.version(found[0].versions(found[1]))
    return kept_page(
        ("search.results", raw, fragment, *site_key()), version, render_found, _HEADERS
    )
