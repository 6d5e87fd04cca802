"""Blueprint: the home page and the film page."""

import re

from flask import Blueprint, abort, current_app, render_template, request

from . import cards, pages

bp = Blueprint("films", __name__)

_PAGE = re.compile(r"[1-9][0-9]{0,5}")


def _page_number() -> int:
    """`?page=N` as a positive number; anything else is not a page of ours."""
    raw = request.args.get("page", "1")
    if not _PAGE.fullmatch(raw):
        abort(404)
    return int(raw)


@bp.get("/")
def index():
    """Home: a page of films, newest first, and on the first page the top rated list."""
    number = _page_number()
    size = current_app.config["FILMS_PER_PAGE"]
    # One row more than the page holds tells whether there is a next page, without a COUNT.
    films = cards.newest(size + 1, (number - 1) * size)
    if not films and number > 1:
        abort(404)
    min_votes = current_app.config["TOP_RATED_MIN_VOTES"]
    top = cards.top_rated(min_votes) if number == 1 else []
    return render_template(
        "films/index.html",
        cards=[cards.card(film, f"card-{film.slug}") for film in films[:size]],
        top=[cards.card(film, f"top-{film.slug}") for film in top],
        page=number,
        has_next=len(films) > size,
        min_votes=min_votes,
    )


@bp.get("/films/<slug>")
def show(slug: str):
    """The film page: article, credits, rating block and comments."""
    page = request.args.get("comments_page", 1, type=int)
    return pages.respond(slug, comments_page=page)
