"""The owner's review in Markdown: CommonMark with tables, raw HTML off, the output sanitised by
nh3 all the same; a ```spoiler fenced block becomes a <details> the reader opens."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# What the rendered HTML may hold: the Markdown's own elements and the spoiler's, nothing else.
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "details": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}
SPOILER = "spoiler"
# Pages kept rendered: a film page, a card's excerpt, the admin's preview, by their Markdown.
_KEPT = 256


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # No images: a picture from elsewhere would be fetched from another site by every reader.
    md.disable("image")
    md.add_render_rule("fence", _fence)
    md.add_render_rule("heading_open", _heading)
    md.add_render_rule("heading_close", _heading)
    # A line break inside a paragraph is a space, as the plain-text article had it.
    md.add_render_rule("softbreak", lambda *_: " ")
    return md


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.info.strip().lower() != SPOILER:
        return self.fence(tokens, idx, options, env)
    inside = _md.render(token.content)
    return f'<details class="spoiler"><summary>Spoiler</summary>\n{inside}</details>\n'


def _heading(self, tokens, idx, options, env) -> str:
    # The page's title is its one h1: the review's headings start a level below it.
    token = tokens[idx]
    if token.tag == "h1":
        token.tag = "h2"
    return self.renderToken(tokens, idx, options, env)


_md = _parser()


@lru_cache(maxsize=_KEPT)
def render(body: str) -> Markup:
    """The body as safe HTML."""
    html = nh3.clean(
        _md.render(body),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(html)


@lru_cache(maxsize=_KEPT)
def excerpt(body: str, limit: int = 240) -> str:
    """The review's first words as plain text, cut at a word boundary; spoilers and headings
    left out."""
    words: list[str] = []
    length = 0
    inside_heading = False
    for token in _md.parse(body):
        if token.type in {"heading_open", "heading_close"}:
            inside_heading = token.type == "heading_open"
        if token.type != "inline" or inside_heading:
            continue
        for child in token.children or ():
            if child.type in {"text", "code_inline"}:
                for word in child.content.split():
                    words.append(word)
                    length += len(word) + 1
        if length > limit:
            break
    text = " ".join(words)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def register(app) -> None:
    app.add_template_filter(render, "markdown")
    app.add_template_filter(excerpt)
