"""Blueprint: posting a comment. htmx gets the fresh section back; a plain form post gets a 303."""

import secrets

from flask import Blueprint, current_app, flash, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from ..core import errors, film_page, limits
from ..core.catalog import film_id_or_404
from ..core.owner_session import signed_in_owner
from ..core.web import ensure_visitor, is_htmx
from ..models import Comment
from . import posting
from .forms import BODY_MAX, NAME_MAX, CommentForm, blank_form

bp = Blueprint("comments", __name__, url_prefix="/films/<slug>/comments")


@bp.record_once
def _limits(state) -> None:
    """The limits, for the section's hints and notices: a global costs nothing per render."""
    state.app.jinja_env.globals["comment_limits"] = {
        "name": NAME_MAX,
        "body": BODY_MAX,
        "links": posting.LINKS_ALLOWED,
    }


# The notices a poster is shown, by the status their comment got (keys the template knows).
NOTICES = {Comment.APPROVED: "posted", Comment.PENDING: "held"}
_NOT_SAVED = "Your comment was not posted yet: please correct what is marked below."
_TOO_MANY = (
    "You have posted a lot in a short time. Your comment is still here: wait a minute, then"
    " post it again."
)


def _answer(slug: str, film_id: int, status: int = 200, **shown):
    """The section after a post: alone for htmx, in the film page without JavaScript.

    The form gets fresh ids, so that htmx's morph builds new, cleared (or refilled) fields
    instead of keeping the ones the visitor typed into; form_key=None keeps those.
    """
    shown.setdefault("form_key", secrets.token_hex(4))
    shown.setdefault("replying", signed_in_owner() is not None)
    if not is_htmx():
        return film_page.respond(slug, status=status, **shown)
    body = posting.section(film_id, slug, **shown)
    return body, status, {"Cache-Control": "no-store", "Vary": "HX-Request"}


@bp.post("")
@limits.comments
def add(slug: str):
    """Add a comment: shown at once, or held for a moderator when it has too many links."""
    film_id = film_id_or_404(slug)
    form = CommentForm()
    if form.website.data:
        # A bot filled the honeypot: it is told what a held comment is told, and nothing is kept.
        current_app.logger.info("comment on %s discarded: honeypot filled", slug)
        status = Comment.PENDING
    elif not form.validate():
        return _answer(slug, film_id, 422, comment_form=form, comment_error=_NOT_SAVED)
    else:
        status = posting.post(film_id, ensure_visitor(), form.name.data, form.comment.data)
    if not is_htmx():
        flash(NOTICES[status], "comments")
        return redirect(url_for("films.show", slug=slug, _anchor="comments"), code=303)
    return _answer(slug, film_id, comment_notice=NOTICES[status], comment_form=blank_form())


@film_page.block_errors(bp)
def error_in_section(slug: str, film_id: int, error: HTTPException):
    """A refused comment, told in the section, with the visitor's text kept when it was read."""
    message = _TOO_MANY if error.code == 429 else errors.message(error)
    if error.code == 413:
        # A body over the size limit is never read: leave the browser's fields as they are.
        return _answer(
            slug, film_id, 413, comment_form=blank_form(), comment_error=message, form_key=None
        )
    form = CommentForm(request.form)
    return _answer(slug, film_id, error.code, comment_form=form, comment_error=message)
