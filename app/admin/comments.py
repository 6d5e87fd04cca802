"""Views: the comments queue. Held comments first, each approved or deleted with one click (the
row is swapped in place under htmx), or many at once from their checkboxes; and the owners'
replies, from the queue or the film's page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..comments import moderation, posting, replies
from ..comments.forms import ReplyForm
from ..core.catalog import any_film_or_404
from ..core.parsing import ID_MAX, NotAWholeNumber, whole_number
from ..core.web import is_htmx
from ..extensions import db
from ..models import Film
from . import bp

# How many of the latest shown comments the queue lists under the held ones.
LATEST_SHOWN = 50
_ACTIONS = {"approve": moderation.approve, "delete": moderation.remove}


def _queue(status: int = 200, error: str | None = None):
    held = moderation.for_moderation(pending_only=True)
    latest = moderation.latest_approved(LATEST_SHOWN)
    body = render_template(
        "admin/comments.html",
        page_title="Comments",
        area="comments",
        held=held,
        latest=latest,
        replies=posting.replies_to([comment.id for comment in latest]),
        error=error,
    )
    return body, status


def _row(comment_id: int, deleted: bool = False, status: int = 200, **shown):
    """A comment's row, for htmx after an action on it; `shown` is its reply form's state."""
    comment = None if deleted else moderation.one(comment_id)
    body = render_template(
        "admin/_comment_row.html",
        comment=comment,
        comment_id=comment_id,
        replies=posting.replies_to([comment_id]),
        **shown,
    )
    return body, status, {"Vary": "HX-Request"}


def _done(comment_id: int, deleted: bool = False):
    """After a one-click action: the comment's row for htmx, the queue again without it."""
    if not is_htmx():
        flash("Comment deleted." if deleted else "Comment approved.", "admin")
        return redirect(url_for("admin.comments"), code=303)
    return _row(comment_id, deleted)


@bp.get("/")
def home():
    """The desk opens on the comments queue, where the work that waits is."""
    return redirect(url_for("admin.comments"), code=303)


@bp.get("/comments")
def comments():
    """Held comments first, oldest first; then the latest shown ones."""
    return _queue()


@bp.post("/comments/<id:comment_id>/approve")
def approve_comment(comment_id: int):
    """Show one held comment on its film's page."""
    try:
        moderation.approve([comment_id])
    except moderation.UnknownComments:
        abort(404, "That comment is gone: another owner may have deleted it.")
    return _done(comment_id)


@bp.post("/comments/<id:comment_id>/delete")
def delete_comment(comment_id: int):
    """Delete one comment for good."""
    try:
        moderation.remove([comment_id])
    except moderation.UnknownComments:
        abort(404, "That comment is gone: another owner may have deleted it.")
    return _done(comment_id, deleted=True)


@bp.post("/comments/bulk")
def bulk_comments():
    """Approve or delete every checked comment, all or none."""
    action = _ACTIONS.get(request.form.get("action", ""))
    try:
        raw = request.form.getlist("ids")
        ids = sorted({whole_number(value, lo=1, hi=ID_MAX) for value in raw})
    except NotAWholeNumber:
        ids = []
    if action is None or not ids:
        return _queue(422, "Check one or more comments, then choose Approve or Delete.")
    try:
        action(ids)
    except moderation.UnknownComments as gone:
        return _queue(404, f"Nothing was changed: {gone}. Another owner may have deleted it.")
    done = "approved" if action is moderation.approve else "deleted"
    flash(f"{len(ids)} {'comment' if len(ids) == 1 else 'comments'} {done}.", "admin")
    return redirect(url_for("admin.comments"), code=303)


def _replied(slug: str, comment_id: int, back: str, status: int = 200, **shown):
    """The reply's answer: for htmx what its form replaces (the comment and its replies on the
    film page, or the queue's row); without JavaScript, the reply page when it was refused."""
    if is_htmx() and back == "queue":
        return _row(comment_id, status=status, **shown)
    comment, answers = posting.thread(comment_id)
    if comment is None:
        abort(404, "That comment is gone: another owner may have deleted it.")
    context = {"slug": slug, "comment": comment, "replies": answers, "replying": True, **shown}
    if is_htmx():
        body = render_template("comments/_comment.html", **context)
        return body, status, {"Vary": "HX-Request"}
    return render_template("admin/reply.html", page_title="Reply", **context), status


@bp.post("/films/<slug>/comments/<id:comment_id>/reply")
def reply_comment(slug: str, comment_id: int):
    """Answer a shown comment as the author: at once, under it, on its film's page."""
    film = any_film_or_404(slug)
    back = "queue" if request.form.get("back") == "queue" else "page"
    form = ReplyForm()
    try:
        if not form.validate():
            raise replies.ReplyRefused(form.reply.errors[0])
        replies.post(film.id, comment_id, current_user, form.reply.data)
    except replies.NoSuchComment:
        abort(404, "That comment is gone: another owner may have deleted it.")
    except replies.ReplyRefused as refused:
        shown = {"reply_error": str(refused), "reply_text": form.reply.data}
        return _replied(slug, comment_id, back, 422, **shown)
    if is_htmx():
        return _replied(slug, comment_id, back)
    if back == "queue":
        flash("Your reply is shown under the comment.", "admin")
        return redirect(url_for("admin.comments"), code=303)
    # Back where the reply was written: the film's page, or its preview while it is not live.
    live = db.session.scalar(select(Film.status_is("live")).where(Film.id == film.id))
    page = "films.show" if live else "admin.preview_film"
    return redirect(url_for(page, slug=slug, _anchor=f"comment-{comment_id}"), code=303)
