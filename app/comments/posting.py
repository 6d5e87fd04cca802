"""Posting a comment and reading a film's comments: what is held for moderation, what is
posted once, and the pages of approved comments the film page shows."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import Row, and_, bindparam, func, or_, select

from ..core import revision
from ..core.database import read, read_row, write_transaction
from ..extensions import db
from ..models import Comment, Vote, utcnow
from . import notify
from .forms import blank_form

# More links than this and a comment waits for a moderator: that is what link spam looks like.
LINKS_ALLOWED = 2
_LINK = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)\S+")
# A resent form or a double click within this time posts the comment once.
RESENT_WITHIN = timedelta(hours=1)


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
                Comment.created_at >= utcnow() - RESENT_WITHIN,
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
    # The owners' replies to the comments of this page, oldest first, by the comment's id.
    replies: dict[int, list[Row]] = field(default_factory=dict)

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


# Built once: a statement object is cheap to run again, costly to build per request. Pages
# count and hold the comments that are no reply; the replies come with the comment they answer.
_APPROVED = (
    Comment.film_id == bindparam("film_id"),
    Comment.status == Comment.APPROVED,
    Comment.parent_id.is_(None),
)
_APPROVED_COUNT = select(func.count()).select_from(Comment).where(*_APPROVED)
_WITH_STARS = select(
    Comment.id, Comment.parent_id, Comment.name, Comment.body, Comment.created_at, Vote.stars
).outerjoin(Vote, and_(Vote.film_id == Comment.film_id, Vote.visitor == Comment.visitor))
_PAGE_IDS = (
    select(Comment.id)
    .where(*_APPROVED)
    .order_by(Comment.created_at.desc(), Comment.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
    .subquery("page_ids")
)
# One page of comments and the replies to them, oldest first, in one query.
_APPROVED_PAGE = _WITH_STARS.where(
    or_(
        Comment.id.in_(select(_PAGE_IDS.c.id)),
        and_(
            Comment.parent_id.in_(select(_PAGE_IDS.c.id)),
            Comment.status == Comment.APPROVED,
        ),
    )
).order_by(Comment.created_at, Comment.id)
_THREAD = _WITH_STARS.where(Comment.id == bindparam("id"))
_REPLIES = (
    select(Comment.id, Comment.parent_id, Comment.name, Comment.body, Comment.created_at)
    .where(
        Comment.parent_id.in_(bindparam("ids", expanding=True)),
        Comment.status == Comment.APPROVED,
    )
    .order_by(Comment.created_at, Comment.id)
)


def _by_parent(rows) -> dict[int, list[Row]]:
    """Replies by the id of the comment they answer, in the order given."""
    found: dict[int, list[Row]] = {}
    for row in rows:
        found.setdefault(row.parent_id, []).append(row)
    return found


def replies_to(ids: list[int]) -> dict[int, list[Row]]:
    """The replies to these comments, oldest first, by the id of the comment they answer."""
    return _by_parent(read(_REPLIES, {"ids": ids}) if ids else ())


def thread(comment_id: int) -> tuple[Row | None, list[Row]]:
    """One comment as the film page shows it, with its poster's stars, and its replies."""
    row = read_row(_THREAD, {"id": comment_id})
    return row, (replies_to([comment_id]).get(comment_id, []) if row else [])


def approved_page(film_id: int, page: int = 1) -> CommentsPage:
    """A page of the film's approved comments, each with its poster's current stars.

    Two queries however many comments there are: the count of those that are no reply, and
    one page of them with the owners' replies to them, joined to the posters' votes (their
    unique (film, visitor) index finds each).
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
    comments = [row for row in rows if row.parent_id is None]
    replies = _by_parent(row for row in rows if row.parent_id is not None)
    return CommentsPage(comments, count, page, per_page, replies)


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
