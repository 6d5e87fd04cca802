"""The film page, as the features whose blocks it shows answer with it.

A refusal made without JavaScript (a vote or a comment) comes back as the whole film page, its
message in the block it concerns, with its 4xx status. The films feature composes the page
(app/films/pages.py) and provides it here when its blueprint is registered; ratings and
comments ask for it here, and so never reach into the films feature, which shows their blocks.
"""

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from . import errors
from .catalog import visible_film_id

_KEY = "marquee.film_page"


def provide(app: Flask, respond: Callable[..., ResponseReturnValue]) -> None:
    """Make `respond(slug, status=..., **shown)` the app's film page."""
    app.extensions[_KEY] = respond


def respond(slug: str, status: int = 200, **shown) -> ResponseReturnValue:
    """The film page as a response; `shown` carries what its blocks show: errors, the comment
    form, notices."""
    return current_app.extensions[_KEY](slug, status=status, **shown)


def block_errors(blueprint: Blueprint):
    """Register the decorated `refuse(slug, film_id, error)` to show the blueprint's HTTP errors
    in its block of the film page; an unknown film, or a request with none, gets the plain
    error page or fragment."""

    def register(refuse: Callable[[str, int, HTTPException], ResponseReturnValue]):
        @blueprint.errorhandler(HTTPException)
        def error_in_block(error: HTTPException):
            slug = (request.view_args or {}).get("slug", "")
            film_id = visible_film_id(slug) if error.code != 404 else None
            if film_id is None:
                return errors.respond(error)
            return refuse(slug, film_id, error)

        return refuse

    return register
