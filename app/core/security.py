"""Security headers on every response, static files and errors included; odd slugs refused."""

import re

from flask import abort

# What a film file may use as a slug, and so the only slugs a URL can name.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """WSGI middleware: HEADERS on every answer that does not set its own. Added to the list
    the server is handed, as they never change: through Werkzeug's Headers they would be
    checked, added and copied again on every request."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.items = [(name.lower(), (name, value)) for name, value in HEADERS.items()]

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(item for lower, item in self.items if lower not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def refuse_odd_slugs(_endpoint, values) -> None:
    """A slug that no film file could have is a 404 before it reaches the database (where,
    for one, PostgreSQL refuses a NUL character with an error)."""
    slug = (values or {}).get("slug")
    if slug is not None and (len(slug) > 120 or not SLUG_PATTERN.match(slug)):
        abort(404)


def register(app) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    app.url_value_preprocessor(refuse_odd_slugs)
