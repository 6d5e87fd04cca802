"""The one cache: small per-process LRUs of what pages share between visitors.

Each entry is kept under a key in one *version* of what it shows, and the caller gives the
version it needs now: an entry of another version is built anew and replaces the old one, so a
change is seen on the next request and nothing is ever invalidated by hand. What makes each
cache's entries stale is written where it is used:

- "shells" and "pages" (app/films/pages.py): a film page's shell and its page, by the film's
  `updated_at` and its author's display name, and `tallies.revision` and numbers (see
  app/core/revision.py);
- "blocks" (app/ratings/block.py): a rating block, by the film's numbers;
- "rating_forms" (app/ratings/block.py): a block's star buttons, per film and own vote, in
  one version: nothing else they show changes;
- "cards" (app/films/cards.py): a home card, by what the film's row holds now;
- "top_rated" (app/films/cards.py): the Top rated order, by a time slot of TOP_RATED_SECONDS.

Nothing per visitor is ever kept: a kept rendering holds holes for the CSRF token and the
visitor's own vote, filled in per request.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from markupsafe import Markup

from .signing import csrf_token

T = TypeVar("T")


class Cache:
    """A small least-recently-used cache; locked, as gthread workers share it between threads.

    Each key holds one version of its value: a new version replaces the old one, which no
    request will ask for again, instead of crowding out other keys' current values.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        """The value kept for `key` in `version`, else `build()`, kept in its place."""
        kept = self.kept(key, version)
        return self.keep(key, version, build()) if kept is None else kept

    def kept(self, key: Hashable, version: Hashable):
        """The value kept for `key` if it is in `version`, else None."""
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and kept[0] == version:
                self._items.move_to_end(key)
                return kept[1]
        return None

    def keep(self, key: Hashable, version: Hashable, value: T) -> T:
        """Keep `value` for `key` in `version`, in place of any other version."""
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


def cache(name: str, size: int) -> Cache:
    """This app's cache of that name, made with that size when first asked for."""
    key = f"marquee.cache.{name}"
    # Looked up first: setdefault() alone would make a Cache on every call, to throw away.
    kept = current_app.extensions.get(key)
    return current_app.extensions.setdefault(key, Cache(size)) if kept is None else kept


# Unguessable, so that no film text or message can contain one; unchanged by HTML escaping.
_SECRET = secrets.token_hex(16)


def hole(name: str) -> str:
    """A marker that a kept rendering holds where a per-request part is filled in later."""
    return f"hole-{name}-{_SECRET}"


TOKEN_HOLE = hole("csrf")
_TOKEN_HOLE_BYTES = TOKEN_HOLE.encode()


def token_hole() -> str:
    """Given to a template rendered for keeping as its `csrf_token()`."""
    return TOKEN_HOLE


def with_token(html: str) -> Markup:
    """A kept rendering with the visitor's own CSRF token put into every form of it."""
    return Markup(html.replace(TOKEN_HOLE, csrf_token()))


def page_with_token(page: bytes) -> bytes:
    """with_token() for a kept page held as the UTF-8 bytes it is sent as: a page with any
    character beyond Latin-1 is a two-byte-wide str, and encoding all of it for every request
    costs more than anything else the page is made of."""
    return page.replace(_TOKEN_HOLE_BYTES, csrf_token().encode())
