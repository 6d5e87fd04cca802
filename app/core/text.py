"""Formatting of dates, paragraphs and numbers, registered as Jinja filters."""

from datetime import date
from decimal import Decimal


def post_date(day: date) -> str:
    """The seed's date style: `Sat. Jul 20th, 2024`."""
    suffix = (
        "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    )
    return f"{day:%a}. {day:%b} {day.day}{suffix}, {day.year}"


def long_date(day: date) -> str:
    """`September 3, 2010`, as the credits box writes release dates."""
    return f"{day:%B} {day.day}, {day.year}"


def paragraphs(text: str) -> list[str]:
    """Plain text to paragraphs: a blank line starts a new one; single newlines are spaces."""
    blocks = (" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n"))
    return [block.strip() for block in blocks if block.strip()]


def score_stars(halves: int) -> str:
    """The owner's score in half stars drawn as text: 9 is `★★★★½`."""
    return "★" * (halves // 2) + ("½" if halves % 2 else "")


def score_number(halves: int) -> str:
    """The owner's score in stars: 9 is `4.5`, 8 is `4`."""
    return f"{halves / 2:g}"


def rating_number(value: Decimal | None) -> str:
    return "" if value is None else str(value)


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(n: int) -> str:
    """A count as prose writes it: one to nine in words, others in figures (`5,000`)."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def register(app) -> None:
    app.add_template_filter(in_words)
    app.add_template_filter(post_date)
    app.add_template_filter(long_date)
    app.add_template_filter(paragraphs)
    app.add_template_filter(rating_number)
    app.add_template_filter(score_stars)
    app.add_template_filter(score_number)
