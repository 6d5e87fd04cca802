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


def add_headers(response):
    # One pass over the response's headers, not one per header added: this runs on every request.
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend([(k, v) for k, v in HEADERS.items() if k.lower() not in present])
    return response


def refuse_odd_slugs(_endpoint, values) -> None:
    """A slug that no film file could have is a 404 before it reaches the database (where,
    for one, PostgreSQL refuses a NUL character with an error)."""
    slug = (values or {}).get("slug")
    if slug is not None and (len(slug) > 120 or not SLUG_PATTERN.match(slug)):
        abort(404)


def register(app) -> None:
    app.after_request(add_headers)
    app.url_value_preprocessor(refuse_odd_slugs)
