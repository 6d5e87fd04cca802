"""Blueprint: what search engines fetch first, robots.txt and sitemap.xml."""

from datetime import datetime

from flask import Blueprint, render_template
from sqlalchemy import select

from ..core.urls import absolute_url
from ..extensions import db
from ..models import Credit, Film, FilmGenre, Genre, Person

bp = Blueprint("crawlers", __name__)


def w3c_datetime(moment: datetime) -> str:
    """A stored UTC time as the sitemap protocol writes it: `2024-07-20T09:30:00+00:00`."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


@bp.get("/robots.txt")
def robots():
    """Every page may be crawled; the sitemap lists them."""
    body = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url('crawlers.sitemap')}\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/sitemap.xml")
def sitemap():
    """The home page, every visible film with its last change, and the first page of every
    person, genre and year that has a visible film."""
    films = db.session.execute(
        select(Film.slug, Film.updated_at).where(Film.visible()).order_by(Film.id)
    ).all()
    newest = max((film.updated_at for film in films), default=None)
    visible = select(Film.id).where(Film.visible())
    people = db.session.scalars(
        select(Person.slug)
        .where(Person.id.in_(select(Credit.person_id).where(Credit.film_id.in_(visible))))
        .order_by(Person.slug)
    ).all()
    genres = db.session.scalars(
        select(Genre.slug)
        .where(Genre.id.in_(select(FilmGenre.genre_id).where(FilmGenre.film_id.in_(visible))))
        .order_by(Genre.slug)
    ).all()
    years = db.session.scalars(
        select(Film.year).where(Film.visible()).distinct().order_by(Film.year)
    ).all()
    body = render_template(
        "sitemap.xml",
        films=films,
        people=people,
        genres=genres,
        years=years,
        newest=newest,
        w3c_datetime=w3c_datetime,
    )
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}
