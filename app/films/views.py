"""Blueprint: the home page and the film page."""

import re

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import bindparam, select

from ..core import film_page
from ..core.conditional import LIST_HEADERS, kept_page
from ..core.database import read
from ..core.parsing import page_number
from ..core.urls import site_key
from ..models import Film
from . import cards, keyset, pages, seo

bp = Blueprint("films", __name__)
# The film page, for the features whose blocks it shows (app/core/film_page.py).
bp.record_once(lambda state: film_page.provide(state.app, pages.respond))

_PAGE = re.compile(r"[1-9][0-9]{0,5}")
# The last film before a numbered page, and one after it: where an old `?page=N` link starts.
_PAGE_START = (
    select(Film.published_on, Film.id)
    .where(Film.visible())
    .order_by(*keyset.NEWEST_FIRST)
    .limit(2)
    .offset(bindparam("offset"))
)


def _numbered_page(raw: str):
    """`?page=N`, the home page's pages before they were paged by key: a permanent redirect to
    the same films' page, so that links and search engines' copies keep working; else 404."""
    if not _PAGE.fullmatch(raw):
        abort(404)
    number = int(raw)
    if number == 1:
        return redirect(url_for("films.index"), 301)
    size = current_app.config["FILMS_PER_PAGE"]
    rows = read(_PAGE_START, {"offset": (number - 1) * size - 1})
    if len(rows) < 2:
        abort(404)
    return redirect(url_for("films.index", after=keyset.cursor(*rows[0])), 301)


@bp.get("/")
def index():
    """Home: a page of films, newest first, and on the first page the top rated list."""
    if "page" in request.args:
        return _numbered_page(request.args["page"])
    size = current_app.config["FILMS_PER_PAGE"]
    page = keyset.page(cards.NEWEST, {}, size)
    min_votes = current_app.config["TOP_RATED_MIN_VOTES"]
    top, top_cards = cards.top_rated(min_votes) if page.after is None else ([], None)

    def render():
        shown, films = page.cards()
        best_shown, best = top_cards() if top_cards else ((), [])
        return (page.version(shown), best_shown, min_votes), render_template(
            "films/index.html",
            cards=[cards.card(film, f"card-{film.slug}") for film in films],
            top=[cards.card(film, f"top-{film.slug}") for film in best],
            page=page,
            item_list=seo.item_list(film.slug for film in films),
            min_votes=min_votes,
        )

    return kept_page(
        ("films.index", page.after, *site_key()),
        (page.version(cards.version(page.films)), cards.version(top), min_votes),
        render,
        LIST_HEADERS,
    )


@bp.get("/films/<slug>")
def show(slug: str):
    """The film page: article, credits, rating block and comments."""
    page = request.args.get("comments_page", 1, type=page_number)
    return pages.respond(slug, comments_page=page)
