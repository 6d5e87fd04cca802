"""Owners' replies: a signed-in owner answers a shown comment on its film's page or from the
queue. A reply is a comment under its parent (`parent_id`) naming its owner (`author_id`),
shown at once (never held) and marked as the author's; one level deep."""

from flask import current_app
from sqlalchemy import select

from ..core import revision
from ..core.database import write_transaction
from ..models import Comment, User, utcnow
from .posting import RESENT_WITHIN


class ReplyRefused(ValueError):
    """A reply that cannot go where it was sent; the message is shown beside the reply box."""


class NoSuchComment(LookupError):
    """The comment to answer is gone (deleted meanwhile) or never was."""


OTHER_FILM = "That comment is on another film's page: answer it there."
TO_A_REPLY = "Replies go one level deep: answer the comment this reply is under."
HELD = "That comment is held for moderation: approve it before you answer it."


def author_name(owner: User) -> str:
    """The name a reply is shown under: the owner's display name, else the site's name."""
    return (owner.display_name or current_app.config["SITE_NAME"])[: Comment.NAME_MAX]


def post(film_id: int, parent_id: int, owner: User, body: str) -> int:
    """Store the owner's reply to a shown comment of this film, approved; its id. The same
    text again soon (a resent form) is stored once. ReplyRefused, or NoSuchComment, and
    nothing is stored, when the comment is not one that may be answered here."""
    with write_transaction() as session:
        parent = session.execute(
            select(Comment.film_id, Comment.parent_id, Comment.status).where(
                Comment.id == parent_id
            )
        ).first()
        if parent is None:
            raise NoSuchComment(parent_id)
        if parent.film_id != film_id:
            raise ReplyRefused(OTHER_FILM)
        if parent.parent_id is not None:
            raise ReplyRefused(TO_A_REPLY)
        if parent.status != Comment.APPROVED:
            raise ReplyRefused(HELD)
        earlier = session.scalar(
            select(Comment.id).where(
                Comment.parent_id == parent_id,
                Comment.author_id == owner.id,
                Comment.body == body,
                Comment.created_at >= utcnow() - RESENT_WITHIN,
            )
        )
        if earlier is not None:
            return earlier
        reply = Comment(
            film_id=film_id,
            parent_id=parent_id,
            author_id=owner.id,
            name=author_name(owner),
            body=body,
            # No visitor's stars belong beside the author's words.
            visitor="",
            status=Comment.APPROVED,
        )
        session.add(reply)
        session.flush()
        revision.page_changed(session, [film_id])
        return reply.id
