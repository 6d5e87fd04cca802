"""Rate limits: who a request counts against, and the named limits that views apply.

A limit is counted per visitor (the random id in the session cookie) and, far more loosely, per
client address, since an office or a mobile network can put many people behind one address.
The numbers are settings (RATELIMIT_*), read on each request. A refused request raises
Flask-Limiter's RateLimitExceeded, a 429 that the error handlers show where the result would
have been, with Retry-After.

Usage, on a view: `@limits.votes` or `@limits.comments` below the route decorator; or, for a
new budget (a scope that several views may share), the pieces they are made of::

    def reviews(view):
        return budget(
            view,
            per_visitor("RATELIMIT_REVIEWS_VISITOR", scope="reviews"),
            per_address("RATELIMIT_REVIEWS_ADDRESS", scope="reviews"),
        )
"""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request

from ..extensions import limiter
from .errors import MESSAGES
from .web import current_visitor


def client_address() -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (ProxyFix)."""
    return request.remote_addr or "unknown"


def address_key() -> str:
    return f"address:{client_address()}"


def visitor_key() -> str:
    """The visitor's id; a request without one counts against its address instead."""
    visitor = current_visitor()
    return f"visitor:{visitor}" if visitor else address_key()


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _limit(setting: str, scope: str, key_func: Callable[[], str], message: str = MESSAGES[429]):
    return limiter.shared_limit(
        _setting(setting), scope=scope, key_func=key_func, error_message=message
    )


def per_visitor(setting: str, scope: str):
    """A limit from the setting `setting`, counted per visitor within `scope`."""
    return _limit(setting, scope, visitor_key)


def per_address(setting: str, scope: str, message: str = MESSAGES[429]):
    """A limit from the setting `setting`, counted per client address within `scope`."""
    return _limit(setting, scope, address_key, message)


def budget(view, *limits):
    """`view` under these limits; with RATELIMIT_ENABLED off, the view alone, as the limiter is
    then not even set up for the app (app/__init__.py) and would cost a request for nothing."""
    limited = view
    for limit in limits:
        limited = limit(limited)

    @wraps(view)
    def either(*args, **kwargs):
        if current_app.config["RATELIMIT_ENABLED"]:
            return limited(*args, **kwargs)
        return view(*args, **kwargs)

    return either


def votes(view):
    """Casting, changing and removing votes share one budget per visitor and per address."""
    return budget(
        view,
        per_visitor("RATELIMIT_VOTES_VISITOR", scope="votes"),
        per_address("RATELIMIT_VOTES_ADDRESS", scope="votes"),
    )


def comments(view):
    """Posting comments: its own budget, tighter per visitor, per minute and per hour."""
    return budget(
        view,
        per_visitor("RATELIMIT_COMMENTS_VISITOR", scope="comments"),
        per_address("RATELIMIT_COMMENTS_ADDRESS", scope="comments"),
    )
