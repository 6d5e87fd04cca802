"""Moderation: listing comments, approving held ones and deleting any, all or nothing."""

from sqlalchemy import Row, delete, select, update

from ..core import revision
from ..core.database import write_transaction
from ..extensions import db
from ..models import Comment, Film


class UnknownComments(LookupError):
    """Some of the given comment ids do not exist; nothing was changed."""

    def __init__(self, ids: list[int]):
        super().__init__(f"no comment with id {', '.join(map(str, ids))}")
        self.ids = ids


_FOR_MODERATION = select(
    Comment.id,
    Comment.status,
    Comment.created_at,
    Comment.name,
    Comment.body,
    Comment.parent_id,
    Film.slug,
    Film.title,
).join(Film, Film.id == Comment.film_id)


def for_moderation(pending_only: bool = False, film_id: int | None = None) -> list[Row]:
    """Comments for the moderator, oldest first, with their film's slug and title."""
    query = _FOR_MODERATION.order_by(Comment.created_at, Comment.id)
    if pending_only:
        query = query.where(Comment.status == Comment.PENDING)
    if film_id is not None:
        query = query.where(Comment.film_id == film_id)
    return db.session.execute(query).all()


def latest_approved(limit: int) -> list[Row]:
    """The most recently posted shown comments, newest first, for a moderator's second look."""
    query = (
        _FOR_MODERATION.where(Comment.status == Comment.APPROVED)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return db.session.execute(query).all()


def one(comment_id: int) -> Row | None:
    """One comment as the moderator sees it, or None when it is gone."""
    return db.session.execute(_FOR_MODERATION.where(Comment.id == comment_id)).first()


def _found(session, ids: list[int]) -> dict[int, Row]:
    """Each comment's film and status; UnknownComments when any id does not exist."""
    query = select(Comment.id, Comment.film_id, Comment.status).where(Comment.id.in_(ids))
    found = {row.id: row for row in session.execute(query)}
    missing = sorted(set(ids) - found.keys())
    if missing:
        raise UnknownComments(missing)
    return found


def approve(ids: list[int]) -> list[int]:
    """Approve the given comments; return those that were pending. All ids or nothing."""
    with write_transaction() as session:
        pending = [row for row in _found(session, ids).values() if row.status == Comment.PENDING]
        session.execute(
            update(Comment)
            .where(Comment.id.in_([row.id for row in pending]))
            .values(status=Comment.APPROVED)
        )
        revision.page_changed(session, [row.film_id for row in pending])
    return sorted(row.id for row in pending)


def remove(ids: list[int]) -> None:
    """Delete the given comments. All ids or nothing."""
    with write_transaction() as session:
        found = _found(session, ids)
        session.execute(delete(Comment).where(Comment.id.in_(ids)))
        revision.page_changed(session, [row.film_id for row in found.values()])
