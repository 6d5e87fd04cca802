"""Blueprint: what search engines fetch first, robots.txt and sitemap.xml (an index of numbered
sitemaps once there are more addresses than one file may hold)."""

from collections.abc import Iterator
from datetime import datetime

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from ..core.urls import absolute_url
from ..extensions import db
from ..models import Credit, Film, FilmGenre, Genre, Person

bp = Blueprint("crawlers", __name__)

XML = {"Content-Type": "application/xml; charset=utf-8"}


def w3c_datetime(moment: datetime) -> str:
    """A stored UTC time as the sitemap protocol writes it: `2024-07-20T09:30:00+00:00`."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


@bp.get("/robots.txt")
def robots():
    """Every page may be crawled; the sitemap lists them."""
    body = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url('crawlers.sitemap')}\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


def _entries() -> Iterator[tuple[str, str | None]]:
    """Every address of the sitemap with its last change when known: the home page, the
    header's lists, every visible film, and the first page of every person, genre and year
    that has a visible film."""
    films = db.session.execute(
        select(Film.slug, Film.updated_at).where(Film.visible()).order_by(Film.id)
    ).all()
    newest = max((film.updated_at for film in films), default=None)
    lastmod = w3c_datetime(newest) if newest else None
    yield absolute_url("films.index"), lastmod
    yield absolute_url("browse.reviews"), lastmod
    yield absolute_url("browse.genres"), None
    yield absolute_url("browse.years"), None
    yield absolute_url("pages.about"), None
    for film in films:
        yield absolute_url("films.show", slug=film.slug), w3c_datetime(film.updated_at)
    visible = select(Film.id).where(Film.visible())
    for slug in db.session.scalars(
        select(Person.slug)
        .where(Person.id.in_(select(Credit.person_id).where(Credit.film_id.in_(visible))))
        .order_by(Person.slug)
    ):
        yield absolute_url("browse.person", slug=slug), None
    for slug in db.session.scalars(
        select(Genre.slug)
        .where(Genre.id.in_(select(FilmGenre.genre_id).where(FilmGenre.film_id.in_(visible))))
        .order_by(Genre.slug)
    ):
        yield absolute_url("browse.genre", slug=slug), None
    for year in db.session.scalars(
        select(Film.year)
        .where(Film.visible(), Film.year.is_not(None))
        .distinct()
        .order_by(Film.year)
    ):
        yield absolute_url("browse.year", year=year), None


@bp.get("/sitemap.xml")
def sitemap():
    """The sitemap; past SITEMAP_MAX_URLS addresses, the index of the numbered sitemaps."""
    entries = list(_entries())
    size = current_app.config["SITEMAP_MAX_URLS"]
    if len(entries) <= size:
        return render_template("sitemap.xml", entries=entries), 200, XML
    count = -(-len(entries) // size)  # rounded up
    parts = [absolute_url("crawlers.part", number=n) for n in range(1, count + 1)]
    return render_template("sitemap_index.xml", parts=parts), 200, XML


@bp.get("/sitemap-<int:number>.xml")
def part(number: int):
    """One numbered sitemap of the index: SITEMAP_MAX_URLS addresses, in the index's order."""
    size = current_app.config["SITEMAP_MAX_URLS"]
    entries = list(_entries())
    chunk = entries[(number - 1) * size : number * size] if number >= 1 else []
    if not chunk or len(entries) <= size:
        abort(404)  # no such part; nor any part while one sitemap holds them all
    return render_template("sitemap.xml", entries=chunk), 200, XML
