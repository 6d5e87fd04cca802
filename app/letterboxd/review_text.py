"""A review's text between Letterboxd and here. Letterboxd keeps a review as text whose blank
lines part paragraphs and whose newlines break lines, with a few tags (<i>, <b>, <a>,
<blockquote>, <br>); here it is Markdown. Each way undoes the other for what both can say."""

import re

from markdownify import markdownify

from ..core import markdown

_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
# A line break: a newline, a <br>, or both together, with the spaces around it.
_BREAK = re.compile(r"[ \t]*(?:<br\s*/?>[ \t]*\n?|\n)[ \t]*", re.I)
_BLOCKS = "h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|details|summary|hr"
_BLOCK_START = re.compile(rf"^<({_BLOCKS})\b", re.I)
_LETTERBOXD_TAGS = {"em": "i", "strong": "b"}


def to_markdown(review: str) -> str:
    """Letterboxd's review text as the review's Markdown."""
    review = review.replace("\r\n", "\n").strip()
    chunks = [part.strip() for part in _PARAGRAPHS.split(review) if part.strip()]
    # A paragraph's line breaks are the writer's: kept as Markdown's hard breaks, not spaces.
    marked = "".join(
        chunk if _BLOCK_START.match(chunk) else f"<p>{_BREAK.sub('<br>', chunk)}</p>"
        for chunk in chunks
    )
    # Everything Markdown would read as markup is escaped: the text renders as Letterboxd's did.
    converted = markdownify(
        marked,
        heading_style="ATX",
        bullets="-",
        newline_style="backslash",
        escape_misc=True,
        strip=["img"],
    )
    return re.sub(r"\n{3,}", "\n\n", converted).strip()


def to_letterboxd(body: str) -> str:
    """The review's Markdown as Letterboxd's review text, rendered as the film page shows it."""
    text = str(markdown.render(body))
    text = re.sub(r"<br\s*/?>\n?", "\n", text)
    text = re.sub(r"\s*</p>\s*", "\n\n", text).replace("<p>", "")
    # Within a quotation or a list no blank line (it would part it in two); after one, a blank
    # line, as after a paragraph.
    text = re.sub(rf"(<(?:{_BLOCKS})[^>]*>)\s+", r"\1", text)
    text = re.sub(rf"\s+(</(?:{_BLOCKS})>)", r"\1", text)
    text = re.sub(rf"(</(?:{_BLOCKS})>)(?=<(?:{_BLOCKS}))", r"\1", text)
    text = re.sub(r"(</(?:h[1-6]|ul|ol|blockquote|pre|table|details)>)\s*", "\\1\n\n", text)
    for ours, theirs in _LETTERBOXD_TAGS.items():
        text = re.sub(rf"<(/?){ours}>", rf"<\1{theirs}>", text)
    text = text.replace(' rel="noopener noreferrer"', "")
    # Quotes need no entity in text; &amp; and &lt; stay, since the text is HTML to Letterboxd.
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&#39;", "'")
    return re.sub(r"\n{3,}", "\n\n", text).strip()
