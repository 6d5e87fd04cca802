"""Conditional GET for the kept pages: an ETag from what their cache key and version already
say, and `304 Not Modified` to a request whose If-None-Match names it, before anything is
rendered; so a returning visitor or a crawler costs one query and a small answer.

A tag is a digest of the build (the app's code, templates and static files, so a deploy never
answers 304 for a page that it renders differently) and of the parts the caller gives: the page's
key and version, and for a page with a form the visitor's vote and their session's CSRF token
(the page's token is signed anew each time, but any token signed from it is as good).
Flask-Compress sends a compressed answer's tag with its encoding appended (`"tag:br"`): either
form matches.

The lists (home, genre, person, year, search) are the same for every visitor: kept_page() keeps
each rendering per key in the version of the rows it shows, as the film page is kept, and its
compressed bytes with it, so a kept list is neither rendered nor compressed again.
"""

import gzip
import hashlib
import threading
from collections.abc import Callable, Hashable
from pathlib import Path

import brotli
from flask import Response, current_app, request

from .cache import cache

ROOT = Path(__file__).resolve().parent.parent.parent


def _build() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for folder, pattern in (("app", "*.py"), ("templates", "*"), ("static", "*")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


BUILD = _build()


def etag(*parts) -> str:
    """The tag of a page made of these parts (reprs that differ whenever the page does)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16, key=BUILD).hexdigest()


def not_modified(tag: str, headers: dict[str, str]) -> Response | None:
    """A 304 with these headers if the request's If-None-Match names `tag`; else None."""
    sent = request.if_none_match
    if not sent:
        return None
    for candidate in sent:
        if candidate.split(":", 1)[0] == tag:
            return Response(status=304, headers={**headers, "ETag": f'"{candidate}"'})
    return None


# Per list page (about 20 KB, and its compressed copies), of its current version.
LISTS_KEPT = 64
# A list shows votes' numbers: the browser keeps it only to ask whether it changed.
LIST_HEADERS = {"Cache-Control": "no-cache"}


class KeptPage:
    """A rendering for every visitor, and its compressed bytes once asked for."""

    def __init__(self, html: str):
        self.html = html.encode()
        self._encoded: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def body(self, encoding: str | None) -> bytes:
        if encoding is None:
            return self.html
        with self._lock:
            if encoding not in self._encoded:
                config = current_app.config
                self._encoded[encoding] = (
                    brotli.compress(self.html, quality=config["COMPRESS_BR_LEVEL"])
                    if encoding == "br"
                    else gzip.compress(self.html, compresslevel=config["COMPRESS_LEVEL"], mtime=0)
                )
            return self._encoded[encoding]


def kept_page(
    key: Hashable,
    version: Hashable,
    render: Callable[[], tuple[Hashable, str]],
    headers: dict[str, str],
) -> Response:
    """The page that render() makes, kept per `key` in `version` (what it shows: the versions
    of the rows it lists, read alone), tagged by both; 304 to a request that has it; compressed
    once per encoding. render() reads the rows it shows and gives their version with the page:
    a change committed between the two reads keeps the page under the version it shows."""
    tag = etag("list", key, version)
    if unchanged := not_modified(tag, {**headers, "ETag": f'"{tag}"'}):
        return unchanged
    lists = cache("lists", LISTS_KEPT)
    page = lists.kept(key, version)
    if page is None:
        version, html = render()
        page = lists.keep(key, version, KeptPage(html))
        tag = etag("list", key, version)
    headers = {**headers, "ETag": f'"{tag}"'}
    encoding = next((e for e in ("br", "gzip") if request.accept_encodings.quality(e) > 0), None)
    response = Response(page.body(encoding), headers=headers, mimetype="text/html")
    if encoding:
        # Flask-Compress leaves an answer alone that is encoded already.
        response.headers["Content-Encoding"] = encoding
        response.headers["ETag"] = f'"{tag}:{encoding}"'
    response.vary.add("Accept-Encoding")
    return response
