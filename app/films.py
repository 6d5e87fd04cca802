"""Blueprint: the home page and the film page."""

import re
import time

from flask import Blueprint, abort, current_app, get_flashed_messages, render_template, request
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select

from . import pages, ranking, votes
from .database import read
from .extensions import db
from .models import Film, Tally
from .web import ensure_visitor

bp = Blueprint("films", __name__)

_PAGE = re.compile(r"[1-9][0-9]{0,5}")
# What a card shows: the film's title, year and date, and its numbers.
_CARDS = (
    select(
        Film.id,
        Film.slug,
        Film.title,
        Film.year,
        Film.published_on,
        Tally.s1,
        Tally.s2,
        Tally.s3,
        Tally.s4,
        Tally.s5,
    )
    .join(Tally, Tally.film_id == Film.id)
    .where(Film.is_published)
)
_NEWEST_FIRST = (Film.published_on.desc(), Film.id.desc())
# The page's films are picked in the index alone (ix_films_newest), then joined to their
# tallies: joined first, every film skipped on the way to a deep page would be joined too.
_NEWEST = _CARDS.where(
    Film.id.in_(
        select(Film.id)
        .where(Film.is_published)
        .order_by(*_NEWEST_FIRST)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
).order_by(*_NEWEST_FIRST)
_THESE = _CARDS.where(Film.id.in_(bindparam("ids", expanding=True)))
# A card is kept per place (its uid) in the version that shows what the film's row holds now: a
# home page is a join of kept cards, and a vote renders one card anew, not the page. Room for
# ten pages of them and Top rated.
CARDS_KEPT = 256


def _card(film: Row, uid: str) -> Markup:
    """A film's card (templates/films/_card.html), with the same Summary as its page shows, so
    the numbers match to the digit."""
    return pages.kept("cards", CARDS_KEPT).get(
        uid,
        tuple(film),
        lambda: Markup(
            render_template(
                "films/_card.html",
                film=film,
                summary=votes.Summary(per_star=tuple(film[-5:])),
                uid=uid,
            )
        ),
    )


def render_film_page(slug: str, status: int = 200, comments_page: int = 1, **shown):
    """The film page; `shown` carries what its blocks show: errors, the comment form, notices."""
    # A comment posted without JavaScript comes back here (303) with its notice flashed.
    notices = get_flashed_messages(category_filter=["comments"])
    if notices:
        shown.setdefault("comment_notice", notices[0])
    body = pages.film_page(slug, ensure_visitor(), comments_page, **shown)
    return body, status, {"Cache-Control": "private, no-cache"}


def _top_rated(min_votes: int) -> list[Row]:
    """Top rated, with numbers read fresh; the order, which ranks every film, is worked out
    at most every TOP_RATED_SECONDS per worker, since one vote rarely moves a rank."""
    key = (min_votes, current_app.config["TOP_RATED_LIMIT"])
    kept = current_app.extensions.get("marquee.top_rated")
    now = time.monotonic()
    if kept is None or kept[0] != key or now - kept[1] > current_app.config["TOP_RATED_SECONDS"]:
        kept = (key, now, db.session.scalars(ranking.top_rated(*key)).all())
        current_app.extensions["marquee.top_rated"] = kept
    ids = kept[2]
    films = read(_THESE, {"ids": ids})
    return sorted(films, key=lambda film: ids.index(film.id))


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
    films = read(_NEWEST, {"limit": size + 1, "offset": (number - 1) * size})
    if not films and number > 1:
        abort(404)
    min_votes = current_app.config["TOP_RATED_MIN_VOTES"]
    top = _top_rated(min_votes) if number == 1 else []
    return render_template(
        "films/index.html",
        cards=[_card(film, f"card-{film.slug}") for film in films[:size]],
        top=[_card(film, f"top-{film.slug}") for film in top],
        page=number,
        has_next=len(films) > size,
        min_votes=min_votes,
    )


@bp.get("/films/<slug>")
def show(slug: str):
    """The film page: article, credits, rating block and comments."""
    page = request.args.get("comments_page", 1, type=int)
    return render_film_page(slug, comments_page=page)
