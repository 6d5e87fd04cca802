"""Error pages in the site's layout, and error fragments for htmx requests."""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, SecurityError, ServiceUnavailable

from ..extensions import db
from . import redirects
from .web import is_htmx

MESSAGES = {
    400: "That request could not be understood. Reload the page and try again.",
    404: "There is nothing here. The film may have moved or never existed.",
    405: "That address does not take this kind of request.",
    413: "That was far more than a rating or a comment. Nothing was saved.",
    422: "That could not be saved. Check what you entered and try again.",
    429: "That was a lot of clicks in a short time. Wait a minute, then try again.",
    500: "Something went wrong on our side. Nothing you did was lost; try again shortly.",
    503: "The site is briefly unavailable. Try again in a minute.",
}

TITLES = {
    400: "Bad request",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Not saved",
    429: "Too many requests",
    500: "Server error",
    503: "Unavailable",
}


def message(error: HTTPException) -> str:
    """The human sentence for an error: its own when it was raised with one, else the code's."""
    if isinstance(error, CSRFError):
        return "This form has expired. Reload the page and try again."
    own = error.description
    if own and own != type(error).description:
        return own
    return MESSAGES.get(error.code or 500, MESSAGES[500])


def respond(error: HTTPException):
    """The error as a fragment for htmx, or as a page in the layout; never a stack trace."""
    code = error.code or 500
    if code == 404 and request.method in {"GET", "HEAD"}:
        moved = redirects.answer(request)
        if moved is not None:
            return moved
    template = "errors/_fragment.html" if is_htmx() else "errors/page.html"
    body = render_template(
        template, code=code, title=TITLES.get(code, "Error"), message=message(error)
    )
    headers = {"Cache-Control": "no-store"}
    if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return body, code, headers


UNKNOWN_HOST = "This site does not answer to that host name."


def unknown_host(_error: SecurityError):
    """A Host header outside TRUSTED_HOSTS (app/core/urls.py): 400 in plain text, as no link to
    the layout's files can be built for a host the site is not."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    return UNKNOWN_HOST + "\n", 400, headers


def database_unavailable(error: OperationalError):
    """A database that does not answer is a 503, and the app recovers when it is back."""
    current_app.logger.error("database unavailable: %s", error.orig)
    db.session.rollback()
    body, code, headers = respond(ServiceUnavailable())
    return body, code, {**headers, "Retry-After": "30"}


def register(app) -> None:
    # Unhandled exceptions reach Flask as InternalServerError, which this handler also renders.
    app.register_error_handler(HTTPException, respond)
    app.register_error_handler(SecurityError, unknown_host)
    app.register_error_handler(OperationalError, database_unavailable)
