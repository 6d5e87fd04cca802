"""Every size limit, stated once: how long each text may be (a film's fields, as the admin's
form and a TOML file are both held to them by content.validate(); a comment's; a search's),
how large a poster may be, and from those the largest request each form may send, which the
nginx example in docs/deploy.md (`client_max_body_size`) must let through.

A database column is never shorter than the text that may go in it (tests/test_sizes.py):
PostgreSQL refuses a longer one with an error, where SQLite would store it.
"""

from collections.abc import Callable

from flask import Flask, current_app, request

# A film (content.validate()), in characters.
SLUG = 120
TITLE = 300  # title, original title, based on (title and author)
NAME = 300  # a credited name or a character, and a release's place
COUNTRY = 200
LANGUAGES = 300  # all of them, joined by ", "
GENRE = 80
VERDICT = 200
BODY = 100_000  # the review, Markdown
# A page of the site's own (the About page): its title; its text is as long as a review.
PAGE_TITLE = 200
# How many of each a film may list: more is not a film but a mistake, or an attack.
CREDITS = 300  # all roles together
GENRES = 20
RELEASES = 100
# The votes a film file may start with, per star (the demo's one): each is cast as a vote.
SEED_VOTES = 1000

# A comment (comments/forms.py) and a search (search/query.py).
COMMENT_NAME = 80
COMMENT = 5000
SEARCH = 200

# A poster file (films/posters.py).
POSTER_BYTES = 10 * 1024 * 1024

# Requests. A character a browser sends in a form is UTF-8, percent-encoded: up to 4 bytes,
# each written %XX, so 12 bytes.
_ENCODED = 12
# Every form but those below: a vote or a 5,000-character comment, with room to spare.
FORM_BYTES = 64 * 1024
# The film form at every limit at once, in the widest characters, with the same room.
FILM_FORM_BYTES = (
    _ENCODED
    * (
        SLUG
        + 3 * TITLE
        + COUNTRY
        + LANGUAGES
        + GENRES * (GENRE + 2)
        + VERDICT
        + BODY
        + CREDITS * (2 * NAME + 3)
        + RELEASES * (NAME + 12)
    )
    + FORM_BYTES
)
PAGE_FORM_BYTES = _ENCODED * (PAGE_TITLE + BODY) + FORM_BYTES
# The poster upload alone, and the new-film form, which carries a poster with the film's fields.
POSTER_FORM_BYTES = POSTER_BYTES + FORM_BYTES
NEW_FILM_FORM_BYTES = POSTER_BYTES + FILM_FORM_BYTES
# What nginx (or any proxy in front) must accept: the largest of the above, in MB rounded up.
PROXY_MB = -(-max(FORM_BYTES, FILM_FORM_BYTES, NEW_FILM_FORM_BYTES) // 2**20)


def allows(size: int) -> Callable:
    """A view's requests may be `size` bytes (not MAX_CONTENT_LENGTH): below its route."""

    def mark(view):
        view.request_bytes = size
        return view

    return mark


def allow(size: int) -> None:
    """Let this request be `size` bytes, before its form is read."""
    # Werkzeug also limits a form field read into memory (500 KB by default): the same number.
    request.max_content_length = request.max_form_memory_size = size


def _raise_the_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if size := getattr(view, "request_bytes", None):
        allow(size)


def register(app: Flask) -> None:
    """Before CSRFProtect's check, which reads the form: call before csrf.init_app()."""
    app.before_request(_raise_the_limit)
