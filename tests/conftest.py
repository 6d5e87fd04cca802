"""Per-test app, database, client and CLI runner, as in Flask's tutorial."""

import re

import pytest

from app import create_app
from app.extensions import db
from app.films import content
from tests.databases import fresh_database_url

SLUG = "the-way-back"
FILM_URL = f"/films/{SLUG}"
RATING_URL = f"{FILM_URL}/rating"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def database_url(tmp_path):
    """An empty database of this test's own, on the database the suite runs against."""
    with fresh_database_url(tmp_path) as url:
        yield url


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SERVER_NAME": "marquee.test",
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


class Visitor:
    """A browser's session: it views the film page first, as a person would, then votes."""

    def __init__(self, client):
        self.client = client
        self.token = csrf_token(client.get(FILM_URL).get_data(as_text=True))

    def vote(self, stars, htmx=True, **kwargs):
        data = {"csrf_token": self.token}
        if stars is not None:
            data["stars"] = stars
        return self.client.post(RATING_URL, data=data, headers=HTMX if htmx else {}, **kwargs)

    def remove(self, htmx=True):
        return self.client.post(
            f"{RATING_URL}/delete",
            data={"csrf_token": self.token},
            headers=HTMX if htmx else {},
        )


@pytest.fixture
def visitor(client):
    return Visitor(client)


@pytest.fixture
def new_visitor(app):
    """A factory of visitors, each with a browser (cookie jar) of its own."""
    return lambda: Visitor(app.test_client())
