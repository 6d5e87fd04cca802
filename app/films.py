"""Blueprint: the home page and the film page."""

from flask import Blueprint, abort, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import seo, votes
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


def render_film_page(film: Film, rating_error: str | None = None, status: int = 200):
    """The film page, optionally with an error shown in its rating block."""
    visitor = ensure_visitor()
    summary = votes.summary(film.id, visitor)
    credits = {role: [c for c in film.credits if c.role == role] for role, _ in CREDIT_ROLES}
    body = render_template(
        "films/show.html",
        film=film,
        credits=credits,
        credit_roles=CREDIT_ROLES,
        summary=summary,
        rating_error=rating_error,
        jsonld=seo.movie_jsonld(film, summary),
        canonical=url_for("films.show", slug=film.slug, _external=True),
    )
    return body, status, {"Cache-Control": "private, no-cache"}


@bp.get("/")
def index():
    """Home: every published film, newest first."""
    rows = db.session.execute(
        select(Film, Tally)
        .join(Tally, Tally.film_id == Film.id)
        .where(Film.is_published)
        .order_by(Film.published_on.desc(), Film.id.desc())
    ).all()
    cards = [(film, votes.Summary(per_star=tally.per_star)) for film, tally in rows]
    return render_template("films/index.html", cards=cards)


@bp.get("/films/<slug>")
def show(slug: str):
    """The film page: article, credits, rating block and comments."""
    return render_film_page(published_film(slug))
