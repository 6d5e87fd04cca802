"""Views: the comments queue. Held comments first, each approved or deleted with one click (the
row is swapped in place under htmx), or many at once from their checkboxes."""

from flask import abort, flash, redirect, render_template, request, url_for

from ..comments import moderation
from ..core.parsing import ID_MAX, NotAWholeNumber, whole_number
from ..core.web import is_htmx
from . import bp

# How many of the latest shown comments the queue lists under the held ones.
LATEST_SHOWN = 50
_ACTIONS = {"approve": moderation.approve, "delete": moderation.remove}


def _queue(status: int = 200, error: str | None = None):
    body = render_template(
        "admin/comments.html",
        page_title="Comments",
        area="comments",
        held=moderation.for_moderation(pending_only=True),
        latest=moderation.latest_approved(LATEST_SHOWN),
        error=error,
    )
    return body, status


def _row(comment_id: int, deleted: bool = False):
    """After a one-click action: the comment's row for htmx, the queue again without it."""
    if not is_htmx():
        flash("Comment deleted." if deleted else "Comment approved.", "admin")
        return redirect(url_for("admin.comments"), code=303)
    comment = None if deleted else moderation.one(comment_id)
    body = render_template("admin/_comment_row.html", comment=comment, comment_id=comment_id)
    return body, 200, {"Vary": "HX-Request"}


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
    return _row(comment_id)


@bp.post("/comments/<id:comment_id>/delete")
def delete_comment(comment_id: int):
    """Delete one comment for good."""
    try:
        moderation.remove([comment_id])
    except moderation.UnknownComments:
        abort(404, "That comment is gone: another owner may have deleted it.")
    return _row(comment_id, deleted=True)


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
