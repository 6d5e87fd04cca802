"""What film pages share between visitors, rendered once and kept in small per-process LRUs.

A film page is the same for every visitor but for three parts: the rating block (the film's
numbers, the visitor's own vote, their CSRF token), the JSON-LD (the film's numbers) and the
comments. So the page is rendered once per (film, updated_at, site address) with a hole for
each of those, and each request fills the holes. The block in turn is the same for every
visitor with the same numbers and vote but for the CSRF token: it is rendered once per
(film, numbers, vote) with a hole for the token, filled with this visitor's own. Every request
still runs one query: the film's version, its tally and this visitor's vote.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, render_template, request, url_for
from flask_wtf.csrf import generate_csrf
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import selectinload

from . import discussion, seo
from .extensions import db
from .models import Credit, Film, Tally, Vote
from .votes import Summary

# Built once: a statement object is cheap to run again, costly to build per request.
_LOOKUP = (
    select(Film.id, Film.updated_at, Tally.s1, Tally.s2, Tally.s3, Tally.s4, Tally.s5, Vote.stars)
    .join(Tally, Tally.film_id == Film.id)
    .outerjoin(Vote, and_(Vote.film_id == Film.id, Vote.voter == bindparam("voter")))
    .where(Film.slug == bindparam("slug"), Film.is_published)
)

# Each vote makes the film's current block a new one, so old blocks are soon useless: a few per
# film suffice (every own-vote state of its current numbers). A kept page is about 13 KB.
BLOCKS_KEPT = 128
PAGES_KEPT = 64

# Unguessable, so that no film text or message can contain one; unchanged by HTML escaping.
_SECRET = secrets.token_hex(16)
_HOLES = {name: f"hole-{name}-{_SECRET}" for name in ("jsonld", "rating_block", "comments")}
_TOKEN_HOLE = f"hole-csrf-{_SECRET}"


class LRU:
    """A small least-recently-used cache; locked, as gthread workers share it between threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def _cache(name: str, size: int) -> LRU:
    return current_app.extensions.setdefault(f"marquee.{name}", LRU(size))


@dataclass(frozen=True)
class FilmPage:
    """One version of a film page, rendered with holes for what differs between requests."""

    slug: str
    movie: dict
    shell: str

    def fill(self, **parts: str) -> str:
        html = self.shell
        for name, value in parts.items():
            html = html.replace(_HOLES[name], value, 1)
        return html


def _build(film_id: int) -> FilmPage:
    film = db.session.scalar(
        select(Film)
        .where(Film.id == film_id)
        .options(selectinload(Film.credits), selectinload(Film.releases))
    )
    shell = render_template(
        "films/show.html",
        film=film,
        credits={role: [c for c in film.credits if c.role == role] for role, _ in Credit.ROLES},
        credit_roles=Credit.ROLES,
        canonical=url_for("films.show", slug=film.slug, _external=True),
        **_HOLES,
    )
    return FilmPage(slug=film.slug, movie=seo.movie(film), shell=shell)


def rating_block(slug: str, summary: Summary, **context) -> Markup:
    """The rating block (templates/ratings/_block.html) for this visitor, with their token."""
    html = _cache("blocks", BLOCKS_KEPT).get(
        (slug, summary, *sorted(context.items())),
        lambda: render_template(
            "ratings/_block.html",
            slug=slug,
            summary=summary,
            csrf_token=lambda: _TOKEN_HOLE,
            **context,
        ),
    )
    return Markup(html.replace(_TOKEN_HOLE, generate_csrf()))


def lookup(slug: str, voter: str) -> tuple[int, datetime, Summary]:
    """The published film's id and version, its numbers and this visitor's vote; or 404."""
    # A connection of its own: for one read, the ORM session's bookkeeping costs more than it.
    with db.engine.connect() as connection:
        row = connection.execute(_LOOKUP, {"slug": slug, "voter": voter}).first()
    if row is None:
        abort(404)
    film_id, version, *per_star, mine = row
    return film_id, version, Summary(per_star=tuple(per_star), mine=mine)


def film_page(slug: str, voter: str, comments_page: int = 1, **shown) -> str:
    """The published film's page for this visitor, or 404; `shown` goes to the blocks."""
    film_id, version, summary = lookup(slug, voter)
    page = _cache("pages", PAGES_KEPT).get(
        (film_id, version, request.host_url), lambda: _build(film_id)
    )
    return page.fill(
        jsonld=htmlsafe_json_dumps(seo.with_rating(page.movie, summary), current_app.json.dumps),
        rating_block=rating_block(page.slug, summary, rating_error=shown.get("rating_error")),
        comments=render_template(
            "comments/_section.html",
            slug=page.slug,
            comments=discussion.approved_page(film_id, comments_page),
            **shown,
        ),
    )
