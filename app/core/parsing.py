"""Whole numbers from people and URLs, read strictly: ASCII digits only, within bounds.

`str.isdigit()` and `int()` take far more than a person means by a number: '²' passes the
first and fails the second, '١٢' (Arabic-Indic digits) passes both, and twenty nines pass both
and then overflow a database column. Every whole number read from a request goes through
whole_number(); in a URL, through the `id` converter (`/comments/<id:comment_id>`), for which
anything else matches no route (404).
"""

from werkzeug.routing import BaseConverter, ValidationError

# The largest value of an Integer column on PostgreSQL (SQLite's are larger): every table's id.
ID_MAX = 2**31 - 1


class NotAWholeNumber(ValueError):
    """Text that is not a whole number from lo to hi; the message says which numbers are."""


def whole_number(text: str, *, lo: int, hi: int) -> int:
    """`text` as an int from `lo` to `hi` (both at least 0), given in ASCII digits alone;
    NotAWholeNumber otherwise."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(hi)):
        raise NotAWholeNumber(f"enter a whole number from {lo} to {hi}")
    number = int(text)
    if not lo <= number <= hi:
        raise NotAWholeNumber(f"enter a whole number from {lo} to {hi}")
    return number


class IdConverter(BaseConverter):
    """`<id:name>`: a row's id, from 1 to ID_MAX; anything else matches no route."""

    regex = r"[0-9]+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        try:
            return whole_number(value, lo=1, hi=ID_MAX)
        except NotAWholeNumber:
            raise ValidationError() from None

    def to_url(self, value: int) -> str:
        return str(int(value))


def page_number(text: str) -> int:
    """A `?page=` number, for request.args.get(type=page_number): a bad one reads as page 1."""
    return whole_number(text, lo=1, hi=ID_MAX)


def register(app) -> None:
    app.url_map.converters["id"] = IdConverter
