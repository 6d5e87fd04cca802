"""WordPress's export format (WXR 1.1 and 1.2), read as a stream: one <item> at a time, each
cleared once read, so that a 50 MB export needs about the memory of its largest post.

defusedxml parses it: a file that declares entities (the "billion laughs") or refers to
external ones is refused, with the line at fault, before anything is read from it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import iterparse

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
# WXR's own namespace names its version; 1.1 and 1.2 hold the same elements.
WP_NAMESPACES = ("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wordpress.org/export/1.2/excerpt/": "excerpt",
    "http://wordpress.org/export/1.1/excerpt/": "excerpt",
}


class WXRError(ValueError):
    """A file that is not a WXR export we can read: the message names the line at fault."""


@dataclass
class Comment:
    id: int
    author: str
    date_gmt: str
    content: str
    approved: str  # "1", "0", "spam", "trash" (WordPress's own words)
    parent: int
    kind: str  # "" or "comment" for a comment; "pingback", "trackback"


@dataclass
class Item:
    """A post, page or attachment, as the export has it."""

    line: int
    id: int
    post_type: str
    title: str
    link: str
    creator: str
    name: str  # the slug (post_name)
    status: str
    date_gmt: str
    date: str
    content: str
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    attachment_url: str = ""


@dataclass
class Category:
    """A category of the channel's list: its id names it in a `/?cat=ID` address."""

    term_id: int
    nicename: str


@dataclass
class Author:
    login: str
    email: str
    display_name: str


def read(path: Path) -> Iterator[Item | Author | Category]:
    """The export's authors, categories and items in file order; WXRError for a file we cannot
    read."""
    with path.open("rb") as stream:
        lines = _Lines(stream)
        try:
            yield from _read(lines)
        except defusedxml.EntitiesForbidden as error:
            why = (
                f"refers to {error.sysid!r} outside the file"
                if error.sysid
                else "could expand without bound"
            )
            raise WXRError(
                f"line {lines.line}: the entity {error.name!r} is declared; entity declarations"
                f" are refused (this one {why})"
            ) from None
        except defusedxml.ExternalReferenceForbidden as error:
            raise WXRError(
                f"line {lines.line}: an external reference ({error.sysid or error.pubid}) is"
                " refused: the importer reads nothing but the file"
            ) from None


class _Lines:
    """The file a line per read, so that iterparse's events come as each line is read and the
    count of lines read is the line of the element just seen."""

    def __init__(self, stream):
        self.stream = stream
        self.line = 0  # the line of what was read last
        self._ended = 0

    def read(self, size: int) -> bytes:
        data = self.stream.readline(size)
        self.line = self._ended + 1
        self._ended += data.count(b"\n")
        return data


def _read(lines: _Lines) -> Iterator[Item | Author | Category]:
    wp = None
    depth = 0
    channel = None
    started = 0
    opened: list[str] = []  # the elements open where the reader is, to name one at fault
    events = iterparse(lines, events=("start", "end"))
    while True:
        try:
            event, element = next(events)
        except StopIteration:
            break
        except ParseError as error:
            line, column = error.position
            why = str(error).split(":")[0]  # expat's words, without the position again
            inside = f" inside <{_name(opened[-1])}>" if opened else ""
            raise WXRError(
                f"line {line}, column {column}: not well-formed XML ({why}){inside}"
            ) from None
        if event == "start":
            opened.append(element.tag)
            depth += 1
            if depth == 1 and element.tag != "rss":
                raise WXRError(f"line {lines.line}: <{element.tag}> is not WXR's <rss>")
            if depth == 2:
                channel = element
            elif depth == 3:
                started = lines.line
            continue
        opened.pop()
        depth -= 1
        if wp is None and element.tag.endswith("}wxr_version"):
            wp = element.tag[1 : element.tag.index("}")]
            if wp not in WP_NAMESPACES:
                raise WXRError(f"line {lines.line}: WXR {wp} is not version 1.1 or 1.2")
        if depth != 2:
            continue  # inside an item or an author: read with it
        if element.tag == "item":
            if wp is None:
                raise WXRError(f"line {started}: an <item> before <wp:wxr_version>")
            yield _item(element, "{" + wp + "}", started)
        elif wp is not None and element.tag == "{" + wp + "}author":
            yield Author(
                login=_text(element, "{" + wp + "}author_login"),
                email=_text(element, "{" + wp + "}author_email"),
                display_name=_text(element, "{" + wp + "}author_display_name"),
            )
        elif wp is not None and element.tag == "{" + wp + "}category":
            yield Category(
                term_id=_int(element, "{" + wp + "}term_id", lines.line),
                nicename=_text(element, "{" + wp + "}category_nicename"),
            )
        # What has been read is let go: the channel holds no item read before.
        channel.clear()
    if wp is None:
        raise WXRError("no <wp:wxr_version>: not a WordPress export (WXR)")


def _name(tag: str) -> str:
    """An element's name as the export writes it: `wp:comment`, `content:encoded`."""
    namespace, _, local = tag.removeprefix("{").rpartition("}")
    prefix = _PREFIXES.get(namespace) or ("wp" if namespace in WP_NAMESPACES else "")
    return f"{prefix}:{local}" if prefix else local


def _text(element: Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _int(element: Element, tag: str, line: int) -> int:
    raw = _text(element, tag) or "0"
    try:
        return int(raw)
    except ValueError:
        raise WXRError(f"line {line}: <{tag.split('}')[1]}> is {raw!r}, not a number") from None


def _item(element: Element, wp: str, line: int) -> Item:
    item = Item(
        line=line,
        id=_int(element, wp + "post_id", line),
        post_type=_text(element, wp + "post_type"),
        title=_text(element, "title"),
        link=_text(element, "link"),
        creator=_text(element, DC_CREATOR),
        name=_text(element, wp + "post_name"),
        status=_text(element, wp + "status"),
        date_gmt=_text(element, wp + "post_date_gmt"),
        date=_text(element, wp + "post_date"),
        content=element.findtext(CONTENT) or "",
        attachment_url=_text(element, wp + "attachment_url"),
    )
    for category in element.findall("category"):
        kept = {"category": item.categories, "post_tag": item.tags}.get(category.get("domain"))
        if kept is not None:
            kept.append((category.get("nicename", ""), (category.text or "").strip()))
    for meta in element.findall(wp + "postmeta"):
        item.meta[_text(meta, wp + "meta_key")] = _text(meta, wp + "meta_value")
    for comment in element.findall(wp + "comment"):
        item.comments.append(
            Comment(
                id=_int(comment, wp + "comment_id", line),
                author=_text(comment, wp + "comment_author"),
                date_gmt=_text(comment, wp + "comment_date_gmt"),
                content=comment.findtext(wp + "comment_content") or "",
                approved=_text(comment, wp + "comment_approved"),
                parent=_int(comment, wp + "comment_parent", line),
                kind=_text(comment, wp + "comment_type"),
            )
        )
    return item
