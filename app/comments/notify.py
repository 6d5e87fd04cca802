"""Telling the owners that comments wait for them: after the held comment's transaction
committed, never in the way of the visitor's request, and at most one message per owner every
MAIL_HELD_MINUTES, which lists what waits then.

Who was told when is kept in the database (`users.held_mail_at`), so that every worker and
server keeps to the one pace: an owner is claimed for a message by one UPDATE, which only one
of them wins. A comment held while its owners were told a moment ago is told in the next
message, which a timer of this process sends when the quiet time is over (lost, like a message
being sent, when the worker stops first: the comment itself waits in the queue either way).
"""

import threading
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, or_, select, update

from ..core import mail
from ..core.database import read, write_connection
from ..core.urls import absolute_url
from ..models import Comment, Film, User, utcnow

LISTED = 20
_TIMER = "marquee.held_mail_timer"
_timer_lock = threading.Lock()

_WAITING = (
    select(Film.title, Comment.name, Comment.body)
    .join(Film, Film.id == Comment.film_id)
    .where(Comment.status == Comment.PENDING)
    .order_by(Comment.created_at, Comment.id)
    .limit(LISTED)
)
_WAITING_COUNT = select(func.count()).where(Comment.status == Comment.PENDING)


def comment_held() -> threading.Thread | None:
    """Tell the owners who were not told lately what waits; the sending thread, if any."""
    if not mail.enabled():
        return None
    try:
        return _tell(current_app._get_current_object(), absolute_url("admin.comments"))
    except Exception:
        # The comment is stored either way: the visitor's request must not fail for the mail.
        current_app.logger.exception("owners not told of a held comment")
        return None


def _quiet(app: Flask) -> timedelta:
    return timedelta(minutes=float(app.config["MAIL_HELD_MINUTES"]))


def _tell(app: Flask, queue: str, later: bool = True) -> threading.Thread | None:
    now, quiet = utcnow(), _quiet(app)
    waiting = read(_WAITING)
    if not waiting:
        return None
    due = or_(User.held_mail_at.is_(None), User.held_mail_at <= now - quiet)
    with write_connection() as connection:
        recipients = list(
            connection.execute(
                update(User).where(due).values(held_mail_at=now).returning(User.email)
            ).scalars()
        )
        told_lately = connection.execute(
            select(func.min(User.held_mail_at)).where(~due, User.held_mail_at < now)
        ).scalar()
    if told_lately is not None and later:
        _tell_later(app, queue, told_lately + quiet - now)
    if not recipients:
        return None
    total = read(_WAITING_COUNT)[0][0]
    listed = "\n\n".join(f"{name} on {title}:\n{body}" for title, name, body in waiting)
    more = f"\n\n... and {total - len(waiting)} more." if total > len(waiting) else ""
    text = (
        f"{total} {'comment waits' if total == 1 else 'comments wait'} for moderation"
        f" (each has more than two links):\n\n{listed}{more}\n\nApprove or delete: {queue}\n"
    )
    subject = f"{total} {'comment awaits' if total == 1 else 'comments await'} moderation"
    return mail.send_later(recipients, subject, text)


def _tell_later(app: Flask, queue: str, delay: timedelta) -> None:
    """Once the quiet time is over, tell the owners who were told lately what waits then: one
    timer per process, however many comments are held meanwhile."""

    def run():
        with _timer_lock:
            app.extensions.pop(_TIMER, None)
        try:
            with app.app_context():
                _tell(app, queue, later=False)
        except Exception:
            app.logger.exception("owners not told of held comments")

    with _timer_lock:
        if app.extensions.get(_TIMER) is not None:
            return
        timer = threading.Timer(max(delay.total_seconds(), 0) + 0.01, run)
        timer.name, timer.daemon = "marquee-held-mail", True
        app.extensions[_TIMER] = timer
        timer.start()


def pending(app: Flask) -> threading.Timer | None:
    """The timer that will send the next message, if one is waiting."""
    return app.extensions.get(_TIMER)
