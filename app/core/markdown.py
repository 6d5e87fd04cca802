"""The owner's review in Markdown: CommonMark with GitHub's tables, by cmark-gfm (C, linear time
on any input: markdown-it-py took over 100 ms on 10,000 `[`), raw HTML omitted and the output
sanitised by nh3 all the same; a ```spoiler fenced block becomes a <details> the reader opens."""

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

# What the rendered HTML may hold: the Markdown's own elements and the spoiler's, nothing else.
# No <img>: a picture from elsewhere would be fetched from another site by every reader.
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "details": {"class"}}
# nh3 lets `lang` and `title` stay on any element unless told otherwise: those above only.
_ANYWHERE = {"*": set()}
URL_SCHEMES = {"http", "https", "mailto"}
# A line break inside a paragraph is a space, as the plain-text article had it.
_OPTIONS = Options.CMARK_OPT_NOBREAKS | Options.CMARK_OPT_GITHUB_PRE_LANG
# Pages kept rendered: a film page, a card's excerpt, the admin's preview, by their Markdown.
_KEPT = 256
# A spoiler inside a spoiler, and so on, this deep; deeper ones stay code.
_SPOILER_DEPTH = 3
_SPOILER = re.compile(r'<pre lang="spoiler"><code>(.*?)</code></pre>', re.DOTALL)
_H1 = re.compile(r"<(/?)h1>")
_FILM_PATH = re.compile(r"^/films/([^/?#]+)/?$")
# Characters a browser ignores inside a URL's scheme (`java\tscript:`).
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def _html(body: str, options: int = 0, depth: int = 0) -> str:
    """cmark-gfm's HTML, spoilers made <details> and headings starting at h2 (the page's title
    is its one h1). The text inside a <code> is escaped, so the patterns cannot be forged."""
    out = cmarkgfm.github_flavored_markdown_to_html(body, options=_OPTIONS | options)
    if depth < _SPOILER_DEPTH:
        out = _SPOILER.sub(
            lambda m: (
                '<details class="spoiler"><summary>Spoiler</summary>\n'
                f"{_html(html.unescape(m[1]), options, depth + 1)}</details>"
            ),
            out,
        )
    return _H1.sub(r"<\1h2>", out)


@lru_cache(maxsize=_KEPT)
def render(body: str) -> Markup:
    """The body as safe HTML."""
    clean = nh3.clean(
        _html(body),
        tags=TAGS,
        attributes={**ATTRIBUTES, **_ANYWHERE},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


@lru_cache(maxsize=_KEPT)
def excerpt(body: str, limit: int = 240) -> str:
    """The review's first words as plain text, cut at a word boundary; spoilers, headings and
    tables left out."""
    text = nh3.clean(
        str(render(body)),
        tags=set(),
        attributes={},
        clean_content_tags={"details", "table", "h2", "h3", "h4", "h5", "h6"},
    )
    text = " ".join(html.unescape(text).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def _hrefs(body: str) -> Iterator[str]:
    """Every link's address as the owner wrote it, spoilers' insides included: cmark's unsafe
    mode keeps the addresses its safe mode would blank."""
    parser = _Links()
    parser.feed(_html(body, Options.CMARK_OPT_UNSAFE))
    yield from parser.hrefs


def unsafe_link(body: str) -> str | None:
    """The first link that is not to a web page, a mail address or a page of this site."""
    for href in _hrefs(body):
        scheme = urlsplit(_IGNORED.sub("", unquote(href))).scheme.lower()
        if scheme and scheme not in URL_SCHEMES:
            return href
    return None


def film_slugs(body: str, host: str) -> set[str]:
    """The slugs of this site's films the body links to, by path or by this site's address."""
    slugs = set()
    for href in _hrefs(body):
        parts = urlsplit(href)
        ours = not parts.netloc or parts.netloc.lower() == host.lower()
        found = _FILM_PATH.match(parts.path)
        if ours and found and parts.scheme in {"", "http", "https"}:
            slugs.add(unquote(found[1]))
    return slugs


def register(app) -> None:
    app.add_template_filter(render, "markdown")
    app.add_template_filter(excerpt)
