"""Blueprint: the home page and the film page."""

import re

from flask import Blueprint, abort, current_app, render_template, request, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import load_only, selectinload

from . import discussion, ranking, seo, votes
from .extensions import db
from .models import Film, Tally
from .web import ensure_visitor

bp = Blueprint("films", __name__)

CREDIT_ROLES = (
    ("director", "Directed by"),
    ("screenplay", "Screenplay by"),
    ("producer", "Produced by"),
    ("starring", "Starring"),
    ("cinematography", "Cinematography"),
    ("editor", "Edited by"),
    ("music", "Music by"),
    ("production_company", "Production companies"),
    ("distributor", "Distributed by"),
)


_PAGE = re.compile(r"[1-9][0-9]{0,5}")
CARD_COLUMNS = (Film.slug, Film.title, Film.year, Film.published_on)


def _cards(statement: Select) -> list[tuple[Film, votes.Summary]]:
    """Films with the same Summary their pages show, so the numbers match to the digit."""
    rows = db.session.execute(statement.options(load_only(*CARD_COLUMNS))).all()
    return [(film, votes.Summary(per_star=tally.per_star)) for film, tally in rows]


def published_film(slug: str) -> Film:
    """The published film with this slug, its credits and releases loaded, or 404."""
    film = db.session.scalar(
        select(Film)
        .where(Film.slug == slug, Film.is_published)
        .options(selectinload(Film.credits), selectinload(Film.releases))
    )
    if film is None:
        abort(404)
    return film


def published_film_id(slug: str) -> int | None:
    """The id of the published film with this slug, for views that need no more of it."""
    return db.session.scalar(select(Film.id).where(Film.slug == slug, Film.is_published))


def render_film_page(film: Film, status: int = 200, comments_page: int = 1, **shown):
    """The film page; `shown` carries what its blocks show: errors, the comment form, notices."""
    visitor = ensure_visitor()
    summary = votes.summary(film.id, visitor)
    shown.setdefault("comment_form", discussion.CommentForm(formdata=None))
    credits = {role: [c for c in film.credits if c.role == role] for role, _ in CREDIT_ROLES}
    body = render_template(
        "films/show.html",
        film=film,
        credits=credits,
        credit_roles=CREDIT_ROLES,
        summary=summary,
        comments=discussion.approved_page(film.id, comments_page),
        jsonld=seo.movie_jsonld(film, summary),
        canonical=url_for("films.show", slug=film.slug, _external=True),
        **shown,
    )
    return body, status, {"Cache-Control": "private, no-cache"}


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
    cards = _cards(
        select(Film, Tally)
        .join(Tally, Tally.film_id == Film.id)
        .where(Film.is_published)
        .order_by(Film.published_on.desc(), Film.id.desc())
        .limit(size + 1)
        .offset((number - 1) * size)
    )
    if not cards and number > 1:
        abort(404)
    min_votes = current_app.config["TOP_RATED_MIN_VOTES"]
    top = []
    if number == 1:
        top = _cards(ranking.top_rated(min_votes, current_app.config["TOP_RATED_LIMIT"]))
    return render_template(
        "films/index.html",
        cards=cards[:size],
        top=top,
        page=number,
        has_next=len(cards) > size,
        min_votes=min_votes,
    )


@bp.get("/films/<slug>")
def show(slug: str):
    """The film page: article, credits, rating block and comments."""
    page = request.args.get("comments_page", 1, type=int)
    return render_film_page(published_film(slug), comments_page=page)
