"""Conditional GET for the kept pages: an ETag from what their cache key and version already
say, and `304 Not Modified` to a request whose If-None-Match names it, before anything is
rendered; so a returning visitor or a crawler costs one query and a small answer.

A tag is a digest of the build (the app's code, templates and static files, so a deploy never
answers 304 for a page that it renders differently) and of the parts the caller gives: the page's
key and version, and for a page with a form the visitor's vote and their session's CSRF token
(the page's token is signed anew each time, but any token signed from it is as good).
Flask-Compress sends a compressed answer's tag with its encoding appended (`"tag:br"`): either
form matches.
"""

import hashlib
from pathlib import Path

from flask import Response, request

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
