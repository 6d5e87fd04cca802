"""A post's content:encoded, as WordPress stores it, into the review's Markdown.

Gutenberg's block comments are dropped; a classic post's blank lines become paragraphs, as
WordPress's own wpautop makes them; [caption] keeps its caption as a paragraph, [embed] and a
bare address on its own line become a link; any other shortcode is removed (the text it wraps
is kept) and named in the notes, as are pictures in the text, which a review does not show.
"""

import re
from html import escape

from markdownify import markdownify

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# A shortcode: [name attributes] or [name]...[/name]; `[sic]` or `[1]` with no closing tag and
# no attribute is not one, and is left as text.
_PAIRED = re.compile(r"\[([a-zA-Z][\w-]*)(\s[^\]]*)?\](.*?)\[/\1\]", re.S)
_SINGLE = re.compile(r"\[([a-zA-Z][\w-]*)(\s[^\]]*=[^\]]*)\]")
_IMAGE = re.compile(r"<img\b[^>]*>", re.S | re.I)
_SOURCE = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)
_BARE_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.M)
_BLOCK_TAG = re.compile(
    r"^\s*<(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|section|iframe)\b", re.I
)
_DROPPED = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)


def to_markdown(html: str) -> tuple[str, list[str]]:
    """The review's Markdown and what could not be carried over, in words."""
    notes: list[str] = []
    html = _DROPPED.sub("", _BLOCK_COMMENT.sub("", html))
    html = _shortcodes(html, notes)
    html = _autop(html)
    if images := [_image_file(tag) for tag in _IMAGE.findall(html)]:
        notes.append(
            f"{len(images)} picture(s) in the text left out ({', '.join(images)}): a review"
            " shows no picture from elsewhere"
        )
    markdown = markdownify(
        html, heading_style="ATX", bullets="-", strip=["img", "iframe"], escape_misc=False
    )
    return re.sub(r"\n{3,}", "\n\n", markdown).strip(), notes


def _image_file(tag: str) -> str:
    """The picture as the owner finds it in the blog's uploads (2024/07/still.jpg), else its
    address as the post has it."""
    found = _SOURCE.search(tag)
    return found[1].split("/wp-content/uploads/")[-1] if found else "no address"


def _shortcodes(html: str, notes: list[str]) -> str:
    def paired(match: re.Match) -> str:
        name, inner = match[1].lower(), match[3]
        if name in ("caption", "wp_caption"):
            caption = _IMAGE.sub("", inner).strip()
            image = "".join(_IMAGE.findall(inner))
            return f"{image}<p><em>{caption}</em></p>" if caption else image
        if name == "embed":
            url = escape(inner.strip())
            return f'<p><a href="{url}">{url}</a></p>'
        notes.append(f"shortcode [{name}] removed, its text kept")
        return _PAIRED.sub(paired, inner)

    def single(match: re.Match) -> str:
        notes.append(f"shortcode [{match[1].lower()}] removed")
        return ""

    html = _PAIRED.sub(paired, html)
    html = _SINGLE.sub(single, html)
    # WordPress embeds an address alone on its line (YouTube, Vimeo...): here, a link to it.
    return _BARE_URL.sub(lambda m: f'<p><a href="{escape(m[1])}">{escape(m[1])}</a></p>', html)


def _autop(html: str) -> str:
    """Blank-line paragraphs as <p>, single newlines as <br>, as WordPress shows a classic post;
    a chunk that already starts with a block element (Gutenberg's) is left as it is."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", html) if chunk.strip()]
    return "\n".join(
        chunk if _BLOCK_TAG.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
        for chunk in chunks
    )


def plain_text(html: str) -> str:
    """A comment's text: WordPress keeps a little HTML in comments; here, paragraphs of text,
    as a comment is written here (no markup)."""
    markdown = markdownify(_autop(html), convert=["p"], escape_misc=False, escape_asterisks=False)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()
