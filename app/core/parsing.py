"""Numbers and text from people and URLs, read strictly: whole numbers in ASCII digits within
bounds, and text without the control characters nobody types.

`str.isdigit()` and `int()` take far more than a person means by a number: '²' passes the
first and fails the second, '١٢' (Arabic-Indic digits) passes both, and twenty nines pass both
and then overflow a database column. Every whole number read from a request goes through
whole_number(); in a URL, through the `id` converter (`/comments/<id:comment_id>`), for which
anything else matches no route (404).

A control character (NUL among them, which PostgreSQL refuses in any text, with an error where
SQLite would store it) is never typed but can be pasted or sent: control_character() finds one
for a field to refuse with its message, and every URL part (the default `<slug>` converter)
with one matches no route.
"""

import re

from werkzeug.routing import BaseConverter, UnicodeConverter, ValidationError

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


# C0 controls and DEL; in text of several lines, tab, line feed and carriage return are typed.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """The first control character in `text` that nobody types, as `U+0000`; else None. In
    `one_line` text (an address, an email) a tab or a line end is one too."""
    found = (_CONTROL if one_line else _CONTROL_IN_LINES).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


class PlainConverter(UnicodeConverter):
    """`<name>` and `<string:name>`: a URL part holding a control character matches no route.

    In the rule's pattern, not in `to_python`: a part refused there makes werkzeug try the other
    rules of the same path and answer 405 where the address simply does not exist."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


def register(app) -> None:
    """The converters, before any blueprint's rules name them."""
    app.url_map.converters.update(id=IdConverter, default=PlainConverter, string=PlainConverter)
