"""The comment rules: the form, what is held for moderation, posting, paging and moderating.

The comments blueprint, the film page and the CLI all go through here.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy import Row, and_, bindparam, delete, func, select, update
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .database import write_transaction
from .extensions import db
from .models import Comment, Film, Tally, Vote, utcnow

NAME_MAX = 80
BODY_MAX = 5000
# More links than this and a comment waits for a moderator: that is what link spam looks like.
LINKS_ALLOWED = 2
_LINK = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)\S+")
# Control characters (NUL among them, which PostgreSQL refuses in text) never belong in a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A resent form or a double click within this time posts the comment once.
_RESENT_WITHIN = timedelta(hours=1)


def _one_line(value: str | None) -> str | None:
    """A name: control characters out, white space trimmed and folded to single spaces."""
    return " ".join(_CONTROL.sub(" ", value).split()) if isinstance(value, str) else value


def _text(value: str | None) -> str | None:
    """A comment: line ends as browsers send them made \\n, control characters out, trimmed."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class CommentForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[_one_line],
        validators=[
            DataRequired("Please enter your name."),
            Length(
                max=NAME_MAX,
                message="Please keep your name to 80 characters or fewer; this one has %(length)d.",
            ),
        ],
    )
    comment = TextAreaField(
        "Comment",
        filters=[_text],
        validators=[
            DataRequired("Please write a comment."),
            Length(
                max=BODY_MAX,
                message="Please keep your comment to 5,000 characters or fewer; this one has"
                " %(length)d.",
            ),
        ],
    )
    # The honeypot: hidden from people and screen readers, out of the tab order; bots fill it.
    website = StringField("Leave this field empty")


def blank_form() -> CommentForm:
    """An empty form to show. The template writes the session's token itself (csrf_token()),
    so this form makes none: generating and signing one costs more than the rest of it."""
    return CommentForm(formdata=None, meta={"csrf": False})


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
            _shown_comments_changed(session, {film_id})
    return status


def _shown_comments_changed(session, film_ids: set[int]) -> None:
    """Film pages keep their comments rendered by tallies.revision (app/pages.py): move it on,
    in the transaction that changes what they show."""
    session.execute(
        update(Tally).where(Tally.film_id.in_(film_ids)).values(revision=Tally.revision + 1)
    )


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
    .outerjoin(Vote, and_(Vote.film_id == Comment.film_id, Vote.voter == Comment.visitor))
    .where(*_APPROVED)
    .order_by(Comment.created_at.desc(), Comment.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def approved_page(film_id: int, page: int = 1) -> CommentsPage:
    """A page of the film's approved comments, each with its poster's current stars.

    Two queries however many comments there are: the count, read from the index alone, and one
    page of rows joined to the posters' votes (their unique (film, voter) index finds each).
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


class UnknownComments(LookupError):
    """Some of the given comment ids do not exist; nothing was changed."""

    def __init__(self, ids: list[int]):
        super().__init__(f"no comment with id {', '.join(map(str, ids))}")
        self.ids = ids


def for_moderation(pending_only: bool = False, film_id: int | None = None) -> list[Row]:
    """Comments for the moderator, oldest first, with their film's slug."""
    query = (
        select(
            Comment.id,
            Comment.status,
            Comment.created_at,
            Comment.name,
            Comment.body,
            Film.slug,
        )
        .join(Film, Film.id == Comment.film_id)
        .order_by(Comment.created_at, Comment.id)
    )
    if pending_only:
        query = query.where(Comment.status == Comment.PENDING)
    if film_id is not None:
        query = query.where(Comment.film_id == film_id)
    return db.session.execute(query).all()


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
        _shown_comments_changed(session, {row.film_id for row in pending})
    return sorted(row.id for row in pending)


def remove(ids: list[int]) -> None:
    """Delete the given comments. All ids or nothing."""
    with write_transaction() as session:
        found = _found(session, ids)
        session.execute(delete(Comment).where(Comment.id.in_(ids)))
        _shown_comments_changed(session, {row.film_id for row in found.values()})
