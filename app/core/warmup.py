"""Warming the app up in gunicorn's master, once, before it forks the workers.

A worker's first film page would otherwise compile the templates and the queries and open a
database connection: about 50 ms, while the requests queued behind it wait (p99). Forked
from a warm master, every worker, recycled ones included, starts with all of that done.
"""

from flask import Flask, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Film


def warm_up(app: Flask) -> None:
    """Compile every template; serve the home page and one film page once."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    with app.test_request_context():
        slug = db.session.scalar(select(Film.slug).where(Film.visible()).limit(1))
        urls = [url_for("films.index"), *([url_for("films.show", slug=slug)] if slug else [])]
    client = app.test_client()
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            app.logger.warning("warm-up: %s answered %s", url, response.status_code)
    with app.app_context():
        # The master serves no requests: it keeps the compiled queries, not the connections.
        db.engine.dispose()
