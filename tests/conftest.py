"""Per-test app, database, client and CLI runner, as in Flask's tutorial."""

import pytest

from app import create_app
from app.extensions import db
from app.films import content
from tests.admin.helpers import EMAIL, PASSWORD, Owner
from tests.databases import fresh_database_url
from tests.helpers import Visitor


@pytest.fixture
def database_url(tmp_path):
    """An empty database of this test's own, on the database the suite runs against."""
    with fresh_database_url(tmp_path) as url:
        yield url


def demo_app(database_url: str, tmp_path, **settings):
    """An app on that database, with the schema and the demo film; `settings` over the tests'
    own (a setting given as None is left out: Flask's default, or the app's)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "marquee.test",
        "POSTER_DIR": str(tmp_path / "posters"),
        **settings,
    }
    app = create_app({name: value for name, value in config.items() if value is not None})
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    return app


@pytest.fixture
def app(database_url, tmp_path):
    app = demo_app(database_url, tmp_path)
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


@pytest.fixture
def visitor(client):
    return Visitor(client)


@pytest.fixture
def new_visitor(app):
    """A factory of visitors, each with a browser (cookie jar) of its own."""
    return lambda: Visitor(app.test_client())


@pytest.fixture
def owner_account(runner):
    """An owner's account, made with the CLI as the README says."""
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return EMAIL


@pytest.fixture
def owner(app, owner_account):
    """A browser of its own, signed in as the owner through the sign-in form."""
    signed_in = Owner(app.test_client())
    assert signed_in.sign_in().status_code == 303
    return signed_in
