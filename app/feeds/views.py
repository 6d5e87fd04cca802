"""Blueprint: /feed.atom, /genres/<slug>/feed.atom and /people/<slug>/feed.atom.

A reader polls every few minutes: the feed's version (its films' ids and last changes) is one
small query, and a reader that names it (If-None-Match) or a later time (If-Modified-Since)
gets 304 without the feed being built.
"""

import hashlib
from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import selectinload

from ..core.cache import cache
from ..core.urls import absolute_url
from ..extensions import db
from ..films import keyset, posters
from ..models import Credit, Film, FilmGenre, Genre, Person, User

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml; charset=utf-8"
# The site's feed and the most read genres' and people's.
FEEDS_KEPT = 32


def entry_id(film_id: int) -> str:
    """A film's entry id, a tag: URI (RFC 4151) from its id, which never changes: a new slug or
    title leaves it, so readers do not show an edited review as a new one."""
    return f"tag:{_authority()},{current_app.config['FEED_TAG_DATE']}:film/{film_id}"


def _authority() -> str:
    """The site's host name, as the tag URI's authority."""
    return absolute_url("films.index").split("/")[2].split(":")[0]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _feed(condition: ColumnElement[bool] | None, title: str, self_url: str, page_url: str):
    """The feed of the newest visible films that meet `condition`, or 304."""
    limit = current_app.config["FEED_ENTRIES"]
    where = [Film.visible()] + ([condition] if condition is not None else [])
    # What the feed shows changes with these: a film's edit moves its updated_at; a byline is
    # the author's display name, which changes on the owner's row.
    versions = db.session.execute(
        select(Film.id, Film.updated_at, Film.published_on, User.display_name)
        .outerjoin(User, User.id == Film.author_id)
        .where(*where)
        .order_by(*keyset.NEWEST_FIRST)
        .limit(limit)
    ).all()
    changed = [max(_utc(row.updated_at), _published(row.published_on)) for row in versions]
    last = max(changed, default=datetime(2000, 1, 1, tzinfo=UTC)).replace(microsecond=0)
    etag = hashlib.sha256(repr((self_url, [tuple(row) for row in versions])).encode()).hexdigest()
    if _unchanged(etag, last):
        response = Response(status=304)
    else:
        # Kept per feed in its current version: a reader that never sends its copy's ETag
        # back costs a lookup, not a feed built anew.
        body = cache("feeds", FEEDS_KEPT).get(
            self_url, etag, lambda: _atom(_films(versions), title, self_url, page_url, last)
        )
        response = Response(body, content_type=ATOM)
    response.set_etag(etag)
    response.last_modified = last
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["FEED_MAX_AGE"]
    return response


def _films(versions) -> list[Film]:
    return db.session.scalars(
        select(Film)
        .where(Film.id.in_([row.id for row in versions]))
        .options(selectinload(Film.genres), selectinload(Film.author))
        .order_by(*keyset.NEWEST_FIRST)
    ).all()


def _published(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _unchanged(etag: str, last: datetime) -> bool:
    """Whether the reader's copy is current: If-None-Match, when sent, decides alone."""
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and last <= since


def _atom(films, title: str, self_url: str, page_url: str, last: datetime) -> bytes:
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.author(name=current_app.config["SITE_NAME"])
    feed.updated(last)
    feed.language("en")
    # feedgen adds entries in front: the oldest first, so the newest leads the feed.
    for film in reversed(films):
        entry = feed.add_entry()
        url = absolute_url("films.show", slug=film.slug)
        entry.id(entry_id(film.id))
        entry.title(f"{film.title} ({film.year})" if film.year else film.title)
        entry.link(href=url, rel="alternate", type="text/html")
        byline = film.author.display_name if film.author else ""
        entry.author(name=byline or current_app.config["SITE_NAME"])
        entry.published(_published(film.published_on))
        entry.updated(max(_utc(film.updated_at), _published(film.published_on)))
        for genre in film.genres:
            entry.category(term=genre.slug, label=genre.name)
        picture = posters.picture(film)
        html = render_template("feeds/_entry.html", film=film, picture=picture)
        entry.content(html, type="html")
    return feed.atom_str(pretty=True)


@bp.get("/feed.atom")
def site():
    """The site's newest reviews."""
    name = current_app.config["SITE_NAME"]
    return _feed(
        None, f"{name}: newest reviews", absolute_url("feeds.site"), absolute_url("films.index")
    )


@bp.get("/genres/<slug>/feed.atom")
def genre(slug: str):
    """A genre's newest reviews."""
    found = db.session.execute(select(Genre.id, Genre.name).where(Genre.slug == slug)).first()
    if found is None:
        abort(404)
    in_genre = exists().where(FilmGenre.film_id == Film.id, FilmGenre.genre_id == found.id)
    return _feed(
        in_genre,
        f"{found.name} films: {current_app.config['SITE_NAME']}",
        absolute_url("feeds.genre", slug=slug),
        absolute_url("browse.genre", slug=slug),
    )


@bp.get("/people/<slug>/feed.atom")
def person(slug: str):
    """The newest reviews of films a person is credited on."""
    found = db.session.execute(select(Person.id, Person.name).where(Person.slug == slug)).first()
    if found is None:
        abort(404)
    credited = Film.id.in_(select(Credit.film_id).where(Credit.person_id == found.id))
    return _feed(
        credited,
        f"{found.name}: {current_app.config['SITE_NAME']}",
        absolute_url("feeds.person", slug=slug),
        absolute_url("browse.person", slug=slug),
    )
