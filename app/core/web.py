"""Request helpers shared by the blueprints: htmx detection and the visitor's identity."""

import secrets
import time

from flask import request, session

_VISITOR = "visitor"


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def ensure_visitor() -> str:
    """The visitor's id, made with the first page that carries a form (as the CSRF token is).

    Both live in the one signed session cookie, so even simultaneous first clicks from one
    browser carry the same id: a visitor is never counted twice.
    """
    visitor = session.get(_VISITOR)
    if not isinstance(visitor, str):
        # Time first, then 128 random bits: ids made together sort together, so the votes index
        # takes new visitors' votes in a few hot pages, not on random pages of a large table.
        visitor = f"{time.time_ns() // 1_000_000:011x}{secrets.token_urlsafe(16)}"
        session[_VISITOR] = visitor
        session.permanent = True
    return visitor


def current_visitor() -> str | None:
    visitor = session.get(_VISITOR)
    return visitor if isinstance(visitor, str) else None
