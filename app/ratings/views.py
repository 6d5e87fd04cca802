"""Blueprint: the rating block, its fresh GET, casting or changing a vote, and removing it."""

from flask import Blueprint, redirect, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException

from ..core import conditional, errors, film_page, limits
from ..core.catalog import film_id_or_404
from ..core.partials import render_partial
from ..core.signing import session_csrf
from ..core.urls import site_key
from ..core.web import current_visitor, ensure_visitor, is_htmx
from . import votes
from .block import rating_block
from .summary import Summary

bp = Blueprint("ratings", __name__, url_prefix="/films/<slug>/rating")

_NO_SESSION = "Your session has expired. Reload the page and try again."


def _block(slug: str, summary: Summary, error: str | None = None, status: int = 200, **context):
    """The block alone: the one source of its markup, for htmx and for GET .../rating."""
    body = rating_block(slug, summary, rating_error=error, **context)
    return body, status, {"Cache-Control": "no-store", "Vary": "HX-Request"}


def _answer(slug: str, summary: Summary, **context):
    """After a change: the fresh block for htmx, a 303 back to the film page without it."""
    if is_htmx():
        body, status, headers = _block(slug, summary, **context)
        readers = render_partial("films/_readers.html", summary=summary, oob=True)
        return str(body) + readers, status, headers
    return redirect(url_for("films.show", slug=slug, _anchor="rating"), code=303)


def _refused(slug: str, film_id: int, message: str, status: int):
    """A refusal, told where the result would have been: in the block, or the page around it."""
    if is_htmx():
        summary = votes.summary(film_id, ensure_visitor())
        return _block(slug, summary, error=message, status=status)
    return film_page.respond(slug, rating_error=message, status=status)


def _visitor() -> str:
    visitor = current_visitor()
    if visitor is None:
        # A valid CSRF token comes with a visitor id; without one the session is not ours.
        raise BadRequest(_NO_SESSION)
    return visitor


@bp.get("")
def block(slug: str):
    """The rating block alone, always fresh (kept by the browser only to be revalidated)."""
    summary = votes.summary_of(slug, ensure_visitor())
    tag = conditional.etag("block", slug, summary, site_key(), session_csrf())
    headers = {"Cache-Control": "private, no-cache", "Vary": "HX-Request", "ETag": f'"{tag}"'}
    if unchanged := conditional.not_modified(tag, headers):
        return unchanged
    body = rating_block(slug, summary)
    return body, headers


@bp.post("")
@limits.votes
def vote(slug: str):
    """Cast or change the visitor's vote."""
    visitor = _visitor()
    try:
        stars = votes.parse_stars(request.form.getlist("stars"))
    except votes.InvalidVote as invalid:
        return _refused(slug, film_id_or_404(slug), str(invalid), 422)
    return _answer(slug, votes.cast(slug, visitor, stars))


@bp.post("/delete")
@limits.votes
def remove(slug: str):
    """Remove the visitor's own vote."""
    summary = votes.withdraw(slug, _visitor())
    # The button that was pressed is gone with the vote; keep keyboard focus in the block.
    return _answer(slug, summary, autofocus_star=1)


@film_page.block_errors(bp)
def error_in_block(slug: str, film_id: int, error: HTTPException):
    """An error of a rating request, shown in the block."""
    return _refused(slug, film_id, errors.message(error), error.code)
