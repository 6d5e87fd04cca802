"""Telling the owners that a comment is waiting for them: one email to each, sent after the
comment's transaction committed and never in the way of the visitor's request."""

import threading

from flask import current_app, url_for
from sqlalchemy import select

from ..admin import owners
from ..core import mail
from ..extensions import db
from ..models import Film


def comment_held(film_id: int, name: str, body: str) -> threading.Thread | None:
    """Mail every owner about a comment held for moderation; the sending thread, if any."""
    if not mail.enabled():
        return None
    try:
        recipients = owners.emails()
        title = db.session.scalar(select(Film.title).where(Film.id == film_id))
        queue = url_for("admin.comments", _external=True)
        text = (
            f"{name} commented on {title}, and the comment is held for moderation"
            f" (it has more than two links):\n\n{body}\n\nApprove or delete it: {queue}\n"
        )
        return mail.send_later(recipients, f"A comment on {title} awaits moderation", text)
    except Exception:
        # The comment is stored either way: the visitor's request must not fail for the mail.
        current_app.logger.exception("owners not told of a held comment on film %s", film_id)
        return None
