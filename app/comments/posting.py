"""Posting a comment and reading a film's comments: what is held for moderation, what is
posted once, and the pages of approved comments the film page shows."""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import Row, and_, bindparam, func, select

from ..core import revision
from ..core.database import write_transaction
from ..extensions import db
from ..models import Comment, Vote, utcnow
from . import notify
from .forms import blank_form

# More links than this and a comment waits for a moderator: that is what link spam looks like.
LINKS_ALLOWED = 2
_LINK = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)\S+")
# A resent form or a double click within this time posts the comment once.
_RESENT_WITHIN = timedelta(hours=1)


def link_count(*texts: str) -> int:
    return sum(len(_LINK.findall(text)) for text in texts)


def post(film_id: int, visitor: str, name: str, body: str) -> str:
    """Store a valid comment, held when it has too many links; return its status.

    The same text from the same visitor on the same film again soon (a resent form, a double
    click) is not stored twice; the answer is the first one's status.
    """
    status = Comment.PENDING if link_count(name, body) > LINKS_ALLOWED else Comment.APPROVED
    with write_transaction() as session:
        earlier = session.scalar(
            select(Comment.status)
            .where(
                Comment.film_id == film_id,
                # Both statuses, so that the (film, status, created_at) index bounds the scan.
                Comment.status.in_((Comment.APPROVED, Comment.PENDING)),
                Comment.created_at >= utcnow() - _RESENT_WITHIN,
                Comment.visitor == visitor,
                Comment.body == body,
            )
            .limit(1)
        )
        if earlier is not None:
            return earlier
        session.add(Comment(film_id=film_id, visitor=visitor, name=name, body=body, status=status))
        if status == Comment.APPROVED:
            revision.page_changed(session, [film_id])
    if status == Comment.PENDING:
        # After the commit: the owners hear of a comment that exists.
        notify.comment_held()
    return status


@dataclass(frozen=True)
class CommentsPage:
    """One page of a film's approved comments, oldest first; page 1 holds the latest."""

    comments: list[Row]
    count: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_older(self) -> bool:
        return self.page < self.pages

    @property
    def has_newer(self) -> bool:
        return self.page > 1

    @property
    def first_number(self) -> int:
        """The position, counting from the oldest comment, of the first one on this page."""
        return max(1, self.count - self.page * self.per_page + 1)

    @property
    def last_number(self) -> int:
        return self.count - (self.page - 1) * self.per_page


# Built once: a statement object is cheap to run again, costly to build per request.
_APPROVED = (Comment.film_id == bindparam("film_id"), Comment.status == Comment.APPROVED)
_APPROVED_COUNT = select(func.count()).select_from(Comment).where(*_APPROVED)
_APPROVED_PAGE = (
    select(Comment.id, Comment.name, Comment.body, Comment.created_at, Vote.stars)
    .outerjoin(Vote, and_(Vote.film_id == Comment.film_id, Vote.visitor == Comment.visitor))
    .where(*_APPROVED)
    .order_by(Comment.created_at.desc(), Comment.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def approved_page(film_id: int, page: int = 1) -> CommentsPage:
    """A page of the film's approved comments, each with its poster's current stars.

    Two queries however many comments there are: the count, read from the index alone, and one
    page of rows joined to the posters' votes (their unique (film, visitor) index finds each).
    """
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    # A connection of its own, in one read transaction: cheaper than the ORM session's.
    with db.engine.connect() as connection:
        count = connection.execute(_APPROVED_COUNT, {"film_id": film_id}).scalar_one()
        page = min(max(page, 1), max(1, -(-count // per_page)))
        rows = connection.execute(
            _APPROVED_PAGE,
            {"film_id": film_id, "limit": per_page, "offset": (page - 1) * per_page},
        ).all()
    return CommentsPage(rows[::-1], count, page, per_page)


def section(film_id: int, slug: str, page: int = 1, comment_form=None, **shown) -> str:
    """The comments section (templates/comments/_section.html) of one page of comments.
    `shown` is what it shows besides them: an error, a notice, the form's key."""
    return render_template(
        "comments/_section.html",
        slug=slug,
        comments=approved_page(film_id, page),
        comment_form=comment_form or blank_form(),
        **shown,
    )
