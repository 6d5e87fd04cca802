"""Request helpers shared by the blueprints: htmx detection and the visitor's identity."""

import secrets

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
        visitor = secrets.token_urlsafe(16)
        session[_VISITOR] = visitor
        session.permanent = True
    return visitor


def current_visitor() -> str | None:
    visitor = session.get(_VISITOR)
    return visitor if isinstance(visitor, str) else None
