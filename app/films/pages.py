"""The film page, composed in one place: the films' views answer with it, and ratings and
comments through app/core/film_page.py, when a refusal without JavaScript shows the page.

A film page is the same for every visitor but for the rating block's own vote and the CSRF
token, so it is kept (app/core/cache.py) at three levels, each per key in the version of what
it shows:
- the shell, per (film, site address) as of the film's updated_at and its author's display
  name (the byline, which changes on the owner's row): article and credits, holes;
- the page, per (film, site address) as of (that, tallies.revision, numbers): the shell
  with its JSON-LD (the numbers) and its comments (which show posters' current stars) filled
  in; the revision moves with every change to the film's votes or shown comments, in the
  transaction that makes it (app/core/revision.py);
- the block, per (film, own vote) as of the numbers, with a hole for the token
  (app/ratings/block.py).
Each request runs one query (the film's version and revision, its numbers and this visitor's
vote, its author's name), puts this visitor's block into the page and their token into both.
"""

import base64
from dataclasses import dataclass, replace

from flask import (
    abort,
    current_app,
    get_flashed_messages,
    render_template,
)
from jinja2.utils import htmlsafe_json_dumps
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import selectinload

from ..comments import posting
from ..core import conditional
from ..core.cache import cache, hole, page_with_token, token_hole, with_token
from ..core.database import Prepared, read_first, read_row
from ..core.owner_session import signed_in_owner
from ..core.partials import render_partial
from ..core.signing import session_csrf
from ..core.urls import absolute_url, site_key
from ..core.web import ensure_visitor
from ..extensions import db
from ..models import Credit, Film, Tally, User, Vote
from ..ratings.block import kept_block
from ..ratings.summary import Summary
from . import posters, seo, title_cards

# Prepared once, run on the DBAPI connection (app/core/database.py): the hottest read.
_LOOKUP = Prepared(
    select(
        Film.id,
        Film.updated_at,
        Tally.revision,
        *Tally.rating_columns(),
        Vote.stars,
        User.display_name,
    )
    .join(Tally, Tally.film_id == Film.id)
    .outerjoin(User, User.id == Film.author_id)
    .outerjoin(Vote, and_(Vote.film_id == Film.id, Vote.visitor == bindparam("visitor")))
    .where(Film.slug == bindparam("slug"), Film.visible())
)

# Per film, one page (about 15 KB) and its shell, each of the film's current version.
PAGES_KEPT = 64

_HOLES = {name: hole(name) for name in ("jsonld", "readers", "rating_block", "comments")}
_BLOCK_HOLE = _HOLES["rating_block"].encode()
# What the comments section shows besides the comments: a form being corrected, a notice, a
# signed-in owner's reply forms.
_COMMENT_STATE = ("comment_form", "comment_error", "comment_notice", "form_key", "replying")


@dataclass(frozen=True)
class Found:
    """A visible film as one request needs it: what its page is kept by, and its numbers."""

    film_id: int
    # The shell's version: updated_at as the driver gives it (a string on SQLite), compared
    # only, and the author's display name, which no save of the film moves.
    version: tuple
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


def owners_picture(film: Film) -> posters.Picture:
    """posters.picture(), with a title card put inline: its URL answers only for a film that
    visitors may see, and the owners' pages show films they may not see yet."""
    picture = posters.picture(film)
    if film.poster is not None:
        return picture
    card = title_cards.svg(film.title, film.year, current_app.config["SITE_NAME"])
    inline = base64.b64encode(card.encode()).decode()
    return replace(picture, src=f"data:image/svg+xml;base64,{inline}")


def _build(film_id: int, preview: bool = False) -> FilmPage:
    film = db.session.scalar(
        select(Film)
        .where(Film.id == film_id)
        .options(
            selectinload(Film.credits).selectinload(Credit.person),
            selectinload(Film.releases),
            selectinload(Film.genres),
            selectinload(Film.author),
        )
    )
    shell = render_template(
        "films/show.html",
        film=film,
        credits={role: [c for c in film.credits if c.role == role] for role, _ in Credit.ROLES},
        credit_roles=Credit.ROLES,
        canonical=absolute_url("films.show", slug=film.slug),
        picture=owners_picture(film) if preview else posters.picture(film),
        preview=preview,
        byline=seo.author_name(film),
        **_HOLES,
    )
    return FilmPage(slug=film.slug, movie=seo.movie(film), shell=shell)


def lookup(slug: str, visitor: str) -> Found:
    """The visible film's id, version and revision, its numbers and this visitor's vote;
    or 404."""
    row = read_first(_LOOKUP, {"slug": slug, "visitor": visitor})
    if row is None:
        abort(404)
    return Found(row[0], (row[1], row[11]), row[2], Summary.of_values(row[3:10], mine=row[10]))


def film_page(found: Found, comments_page: int = 1, **shown) -> bytes:
    """The page of the film found, for this visitor, in UTF-8 (kept so: see page_with_token()).
    `shown` is what the blocks show besides the film: a refused vote's message, a comment form
    being corrected, a notice."""
    key = (found.film_id, *site_key())
    page = cache("shells", PAGES_KEPT).get(key, found.version, lambda: _build(found.film_id))

    def with_comments() -> str:
        # Comments are read after the lookup: never older than the version they are kept as.
        movie = seo.with_rating(page.movie, found.summary)
        comments = posting.section(
            found.film_id,
            page.slug,
            comments_page,
            csrf_token=token_hole,
            **{name: shown.get(name) for name in _COMMENT_STATE},
        )
        return page.fill(
            jsonld=htmlsafe_json_dumps(movie, current_app.json.dumps),
            readers=render_partial("films/_readers.html", summary=found.summary),
            comments=comments,
        )

    if comments_page == 1 and not any(shown.get(name) for name in _COMMENT_STATE):
        # The numbers too: the JSON-LD must show the block's numbers even after a repair of a
        # tally made outside the app, which knows nothing of the revision.
        version = (found.version, found.revision, found.summary.numbers)
        html = cache("pages", PAGES_KEPT).get(key, version, lambda: with_comments().encode())
    else:
        html = with_comments().encode()
    block = kept_block(page.slug, found.summary, rating_error=shown.get("rating_error"))
    return page_with_token(html.replace(_BLOCK_HOLE, block.encode(), 1))


_NUMBERS = select(*Tally.star_columns()).where(Tally.film_id == bindparam("film_id"))


def preview_page(film_id: int) -> str:
    """Any film's page, visible or not, as visitors will see it, for its owners: with a banner
    and noindex, built anew every time and kept in none of the page caches, so that nothing of
    a film visitors may not see yet is ever served from them."""
    page = _build(film_id, preview=True)
    summary = Summary.of(read_row(_NUMBERS, {"film_id": film_id}))
    movie = seo.with_rating(page.movie, summary)
    html = page.fill(
        jsonld=htmlsafe_json_dumps(movie, current_app.json.dumps),
        readers=render_partial("films/_readers.html", summary=summary),
        comments=posting.section(film_id, page.slug, csrf_token=token_hole, replying=True),
        rating_block=kept_block(page.slug, summary),
    )
    return with_token(html)


def respond(slug: str, status: int = 200, comments_page: int = 1, **shown):
    """The film page as a response; `shown` carries what its blocks show: errors, the comment
    form, notices."""
    # A comment posted without JavaScript comes back here (303) with its notice flashed.
    notices = get_flashed_messages(category_filter=["comments"])
    if notices:
        shown.setdefault("comment_notice", notices[0])
    shown.setdefault("replying", signed_in_owner() is not None)
    found = lookup(slug, ensure_visitor())
    headers = {"Cache-Control": "private, no-cache"}
    if status == 200 and comments_page == 1 and not any(shown.values()):
        tag = conditional.etag("film", found, site_key(), session_csrf(), get_flashed_messages())
        if unchanged := conditional.not_modified(tag, headers):
            return unchanged
        headers["ETag"] = f'"{tag}"'
    return film_page(found, comments_page, **shown), status, headers
