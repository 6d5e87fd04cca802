"""Partials rendered straight by Jinja: what a block is made of is what it is given."""

from flask import current_app


def render_partial(name: str, **context) -> str:
    """A partial template that reads nothing but its arguments and the environment's globals
    and filters (url_for, csrf_token): rendered without Flask's context processors and
    signals, which a page needs (g, request, session) and a block rendered anew on every vote
    does not."""
    return current_app.jinja_env.get_template(name).render(context)
