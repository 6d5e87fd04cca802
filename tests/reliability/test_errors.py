"""Every error has a page in the layout and an htmx fragment, never a stack trace; a database
that is down is a 503 from which the app recovers by itself."""

import pytest
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
from app.films import content
from tests.helpers import FILM_URL, HTMX, RATING_URL, Visitor, tallies
from tests.reliability.helpers import SECRET, TITLES, TRIGGERS, request


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_error_is_a_page_in_the_layout(raising_app, code):
    response = request(raising_app.test_client(), code)
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert html.startswith("<!doctype html>") and 'class="site-header"' in html
    assert f"<title>{TITLES[code]} \N{EN DASH} Marquee</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "Traceback" not in html and "do not show" not in html


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_error_is_a_fragment_for_htmx(raising_app, code):
    response = request(raising_app.test_client(), code, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert "<html" not in html and "<body" not in html
    assert html.startswith('<p class="message message-error" role="alert">')
    assert "Traceback" not in html and "do not show" not in html


def test_405_names_the_methods_allowed(client):
    response = client.delete(RATING_URL)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_server_error_is_logged_but_never_shown(raising_app, caplog):
    response = raising_app.test_client().get("/test-fail/500")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert SECRET in caplog.text


@pytest.fixture
def fragile_app(tmp_path):
    """An app whose database lives in a folder that the test can take away and give back.

    Without a connection pool every request connects afresh, as a new worker would: taking the
    folder away is then an outage, as a stopped database server is.
    """
    folder = tmp_path / "data"
    folder.mkdir()
    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'marquee.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    app.folder = folder
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_database_that_is_down_is_503_and_the_app_recovers_by_itself(fragile_app):
    visitor = Visitor(fragile_app.test_client())
    client = visitor.client
    assert client.get("/healthz").json == {"status": "ok", "database": "up"}
    away = fragile_app.folder.rename(fragile_app.folder.with_name("away"))

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json == {"status": "unavailable", "database": "down"}
    for response in (client.get("/"), client.get(FILM_URL)):
        assert response.status_code == 503
        html = response.get_data(as_text=True)
        assert "<!doctype html>" in html and "The site is briefly unavailable." in html
        assert "Traceback" not in html and "sqlite" not in html.lower()
        assert response.headers["Retry-After"] == "30"
    fragment = client.get(RATING_URL, headers=HTMX)
    assert fragment.status_code == 503 and "<html" not in fragment.get_data(as_text=True)
    assert visitor.vote("1").status_code == 503

    away.rename(fragile_app.folder)
    assert client.get("/healthz").status_code == 200
    assert client.get(FILM_URL).status_code == 200
    # The vote refused during the outage was not half-saved; a new one counts.
    assert tallies(fragile_app) == (1, (0, 0, 0, 0, 1), 1)
    assert visitor.vote("1").status_code == 200
    assert tallies(fragile_app) == (2, (1, 0, 0, 0, 1), 2)
