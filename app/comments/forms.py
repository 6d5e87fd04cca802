"""The comment form: its fields, their limits and how what a browser sends is cleaned."""

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from ..core import sizes
from ..core.parsing import control_character
from ..models import Comment

# The limits a comment is held to, written only here and in posting.LINKS_ALLOWED: the form's
# messages and the template's hints (comments/views.py gives them to it) say these numbers.
NAME_MAX = Comment.NAME_MAX
BODY_MAX = sizes.COMMENT
# Control characters (NUL among them, which PostgreSQL refuses in text) never belong in a
# comment: one sent is refused (_typed), and not shown again in the form (the filters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _typed(what: str):
    """Refuse a field whose text, as sent, holds a control character nobody types."""

    def check(_form, field) -> None:
        sent = field.raw_data[0] if field.raw_data else ""
        if found := control_character(sent):
            raise StopValidation(f"Please remove the control character ({found}) from {what}.")

    return check


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
            _typed("your name"),
            DataRequired("Please enter your name."),
            Length(
                max=NAME_MAX,
                message=f"Please keep your name to {NAME_MAX:,} characters or fewer; this one has"
                " %(length)d.",
            ),
        ],
    )
    comment = TextAreaField(
        "Comment",
        filters=[_text],
        validators=[
            _typed("your comment"),
            DataRequired("Please write a comment."),
            Length(
                max=BODY_MAX,
                message=f"Please keep your comment to {BODY_MAX:,} characters or fewer;"
                " this one has %(length)d.",
            ),
        ],
    )
    # The honeypot: hidden from people and screen readers, out of the tab order; bots fill it.
    website = StringField("Leave this field empty")


class ReplyForm(FlaskForm):
    """An owner's reply to a comment; its CSRF token is checked for every POST of the site."""

    class Meta:
        csrf = False

    reply = TextAreaField(
        "Reply",
        filters=[_text],
        validators=[
            _typed("your reply"),
            DataRequired("Please write a reply."),
            Length(
                max=BODY_MAX,
                message=f"Please keep your reply to {BODY_MAX:,} characters or fewer;"
                " this one has %(length)d.",
            ),
        ],
    )


def blank_form() -> CommentForm:
    """An empty form to show. The template writes the session's token itself (csrf_token()),
    so this form makes none: generating and signing one costs more than the rest of it."""
    return CommentForm(formdata=None, meta={"csrf": False})
