"""What film pages share between visitors, rendered once and kept in small per-process LRUs.

A film page is the same for every visitor but for the rating block's own vote and the CSRF
token. So it is kept at three levels, each per key in the version of what it shows:
- the shell, per (film, site address) as of the film's updated_at: article and credits, holes;
- the page, per (film, site address) as of (updated_at, tallies.revision, numbers): the shell
  with its JSON-LD (the numbers) and its comments (which show posters' current stars) filled
  in; the revision moves with every change to the film's votes or shown comments, in the
  transaction that makes it;
- the block, per (film, own vote) as of the numbers, with a hole for the token.
Each request runs one query (the film's version and revision, its numbers and this visitor's
vote), puts this visitor's block into the page and their token into both.
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
from .database import read_row
from .extensions import db
from .models import Credit, Film, Tally, Vote
from .votes import Summary

# Built once: a statement object is cheap to run again, costly to build per request.
_LOOKUP = (
    select(
        Film.id,
        Film.updated_at,
        Tally.revision,
        Tally.s1,
        Tally.s2,
        Tally.s3,
        Tally.s4,
        Tally.s5,
        Vote.stars,
    )
    .join(Tally, Tally.film_id == Film.id)
    .outerjoin(Vote, and_(Vote.film_id == Film.id, Vote.voter == bindparam("voter")))
    .where(Film.slug == bindparam("slug"), Film.is_published)
)

# Per film, one page (about 15 KB) and its shell, and one block per own-vote state (six, and
# refusals), each of the film's current version.
BLOCKS_KEPT = 128
PAGES_KEPT = 64

# Unguessable, so that no film text or message can contain one; unchanged by HTML escaping.
_SECRET = secrets.token_hex(16)
_HOLES = {name: f"hole-{name}-{_SECRET}" for name in ("jsonld", "rating_block", "comments")}
_TOKEN_HOLE = f"hole-csrf-{_SECRET}"
# What the comments section shows besides the comments: a form being corrected, a notice.
_COMMENT_STATE = ("comment_form", "comment_error", "comment_notice", "form_key")


class LRU:
    """A small least-recently-used cache; locked, as gthread workers share it between threads.

    Each key holds one version of its value: a new version replaces the old one, which no
    request will ask for again, instead of crowding out other keys' current values.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, build: Callable):
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and kept[0] == version:
                self._items.move_to_end(key)
                return kept[1]
        value = build()
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def kept(name: str, size: int) -> LRU:
    """This app's LRU of that name, made with that size when first asked for."""
    return current_app.extensions.setdefault(f"marquee.{name}", LRU(size))


@dataclass(frozen=True)
class Found:
    """A published film as one request needs it: what its page is kept by, and its numbers."""

    film_id: int
    updated_at: datetime
    revision: int
    summary: Summary


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


def _with_token(html: str) -> Markup:
    """The visitor's own CSRF token put into every form of a kept rendering."""
    return Markup(html.replace(_TOKEN_HOLE, generate_csrf()))


def _block(slug: str, summary: Summary, **context) -> str:
    return kept("blocks", BLOCKS_KEPT).get(
        (slug, summary.mine, *sorted(context.items())),
        summary.per_star,
        lambda: render_template(
            "ratings/_block.html",
            slug=slug,
            summary=summary,
            csrf_token=lambda: _TOKEN_HOLE,
            **context,
        ),
    )


def rating_block(slug: str, summary: Summary, **context) -> Markup:
    """The rating block (templates/ratings/_block.html) for this visitor, with their token."""
    return _with_token(_block(slug, summary, **context))


def lookup(slug: str, voter: str) -> Found:
    """The published film's id, version and revision, its numbers and this visitor's vote;
    or 404."""
    row = read_row(_LOOKUP, {"slug": slug, "voter": voter})
    if row is None:
        abort(404)
    film_id, updated_at, revision, *per_star, mine = row
    return Found(film_id, updated_at, revision, Summary(per_star=tuple(per_star), mine=mine))


def _comments(film_id: int, slug: str, page: int, shown: dict) -> str:
    return render_template(
        "comments/_section.html",
        slug=slug,
        comments=discussion.approved_page(film_id, page),
        comment_form=shown.get("comment_form") or discussion.blank_form(),
        csrf_token=lambda: _TOKEN_HOLE,
        **{name: shown.get(name) for name in _COMMENT_STATE[1:]},
    )


def film_page(slug: str, voter: str, comments_page: int = 1, **shown) -> str:
    """The published film's page for this visitor, or 404. `shown` is what the blocks show
    besides the film: a refused vote's message, a comment form being corrected, a notice."""
    found = lookup(slug, voter)
    key = (found.film_id, request.host_url)
    page = kept("shells", PAGES_KEPT).get(key, found.updated_at, lambda: _build(found.film_id))

    def with_comments() -> str:
        # Comments are read after the lookup: never older than the version they are kept as.
        movie = seo.with_rating(page.movie, found.summary)
        return page.fill(
            jsonld=htmlsafe_json_dumps(movie, current_app.json.dumps),
            comments=_comments(found.film_id, page.slug, comments_page, shown),
        )

    if comments_page == 1 and not any(shown.get(name) for name in _COMMENT_STATE):
        # The numbers too: the JSON-LD must show the block's numbers even after a repair of a
        # tally made outside the app, which knows nothing of the revision.
        version = (found.updated_at, found.revision, found.summary.per_star)
        html = kept("pages", PAGES_KEPT).get(key, version, with_comments)
    else:
        html = with_comments()
    block = _block(page.slug, found.summary, rating_error=shown.get("rating_error"))
    return _with_token(html.replace(_HOLES["rating_block"], block, 1))
