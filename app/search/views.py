"""Blueprint: the search page, and its results alone for htmx's active search."""

import unicodedata

from flask import Blueprint, render_template, request

from ..core.web import is_htmx
from ..films import cards
from .query import MAX_LENGTH, BadQuery, check, search

bp = Blueprint("search", __name__)

# The results alone for htmx, the whole page otherwise and when htmx restores history.
_VARY = {"Vary": "HX-Request, HX-History-Restore-Request"}


@bp.get("/search")
def results():
    """Films found by title, original title or the names credited, best match first."""
    raw = request.args.get("q", "")
    status, error, found = 200, None, None
    try:
        query = check(raw).strip()
        if query:
            found = [cards.card(film, f"card-{film.slug}") for film in search(query)]
    except BadQuery as refused:
        status, error = 400, str(refused)
    fragment = is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"
    body = render_template(
        "search/_results.html" if fragment else "search/page.html",
        # What the box shows again: never a character that HTML cannot hold.
        q="".join(c for c in raw if unicodedata.category(c) != "Cc")[:MAX_LENGTH],
        cards=found,
        error=error,
    )
    return body, status, {**_VARY, "Cache-Control": "no-cache"}
