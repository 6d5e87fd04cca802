"""Title cards: the image of a film that has no poster, made from its title and year.

A page or card shows the SVG (a few hundred bytes, set in the site's own fonts and colours by
the browser); a shared link gets a PNG of the same card, as link previews read no SVG. Both are
named by the digest of what they show, so they are cached for a year like any static file and
a changed title is a new URL.
"""

import io
import textwrap

from flask import render_template
from PIL import Image, ImageDraw, ImageFont

from ..core.assets import digest as content_digest

# A poster's 2:3 for pages and cards; the 1.91:1 that link previews show wide.
WIDTH, HEIGHT = 320, 480
SHARE_WIDTH, SHARE_HEIGHT = 1200, 630
# The site's dark palette (static/style.css): --bg, --text, --accent, --muted.
BACKGROUND = "#151412"
TEXT = "#eeeae3"
ACCENT = "#f0a36b"
MUTED = "#b9b2a6"
# Changing the design changes every card's digest, and so its URL.
_DESIGN = "title-card-1"
_MAX_LINES = 5


def digest(title: str, year: int | None) -> str:
    """The part of a title card's URL that changes with what it shows."""
    return content_digest(f"{_DESIGN}\0{title}\0{year}".encode())


def _lines(title: str, width: int) -> list[str]:
    """The title broken into lines of about `width` characters; cut short with an ellipsis."""
    lines = textwrap.wrap(title, width, break_long_words=True) or [title]
    if len(lines) > _MAX_LINES:
        lines = [*lines[: _MAX_LINES - 1], textwrap.shorten(lines[_MAX_LINES - 1], width - 1)]
        lines[-1] = lines[-1].removesuffix(" [...]") + "…"
    return lines


def svg(title: str, year: int | None, site_name: str) -> str:
    """The card as an SVG document; every text in it escaped by the template."""
    size = 34 if len(title) <= 40 else 26
    lines = _lines(title, 14 if size == 34 else 19)
    return render_template(
        "films/title_card.svg",
        lines=lines,
        year=year,
        site_name=site_name,
        size=size,
        top=(HEIGHT - len(lines) * size * 1.2) / 2,
        width=WIDTH,
        height=HEIGHT,
        colours={"background": BACKGROUND, "text": TEXT, "accent": ACCENT, "muted": MUTED},
    )


def png(title: str, year: int | None, site_name: str) -> bytes:
    """The card, wide, as a PNG for link previews; set in the font that ships inside Pillow,
    so that no system font is needed on any server."""
    image = Image.new("RGB", (SHARE_WIDTH, SHARE_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 80
    title_font = ImageFont.load_default(size=84 if len(title) <= 40 else 60)
    small = ImageFont.load_default(size=40)
    lines = _lines(title, 22 if len(title) <= 40 else 32)[:4]
    y = margin
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=TEXT)
        y += round(title_font.size * 1.2)
    draw.text((margin, y + 20), str(year or ""), font=small, fill=ACCENT)
    draw.line((margin, SHARE_HEIGHT - 130, SHARE_WIDTH - margin, SHARE_HEIGHT - 130), ACCENT, 4)
    draw.text((margin, SHARE_HEIGHT - 110), site_name, font=small, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
