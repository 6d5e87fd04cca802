"""The Host header chooses nothing: a host the site is not gets 400, and every absolute URL that
leaves its page (canonical, og:url, og:image, JSON-LD, sitemap, robots.txt, mail) is SITE_URL's.
"""

import re

import pytest

from app import create_app
from app.extensions import db
from app.films import content
from tests.helpers import FILM_URL, jsonld

SITE = "https://films.example.com"
UNKNOWN = "This site does not answer to that host name.\n"


@pytest.fixture
def site(database_url, tmp_path):
    """The site at SITE_URL, also reached through a second trusted name (a proxy's, say)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POSTER_DIR": str(tmp_path / "posters"),
            "SITE_URL": SITE + "/",
            "TRUSTED_HOSTS": ["films.example.com", "backend.internal"],
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def absolute_urls(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>]+", text))


@pytest.mark.parametrize("path", [FILM_URL, "/", "/sitemap.xml", "/robots.txt", "/search?q=way"])
def test_every_absolute_url_is_site_urls_whatever_the_host(site, path):
    body = site.test_client().get(path, base_url="http://backend.internal:8000").get_data(True)
    ours = {url for url in absolute_urls(body) if not re.search(r"schema\.org|sitemaps\.org", url)}
    assert ours, "the page holds no absolute URL"
    assert all(url.startswith(SITE + "/") for url in ours), ours


def test_the_film_pages_links_for_others_name_site_url(site):
    html = site.test_client().get(FILM_URL, base_url="http://backend.internal").get_data(True)
    movie = jsonld(html)
    assert movie["url"] == f"{SITE}/films/the-way-back"
    assert movie["image"].startswith(f"{SITE}/posters/")
    assert f'<link rel="canonical" href="{SITE}/films/the-way-back">' in html
    assert re.search(rf'<meta property="og:image" content="{re.escape(SITE)}/posters/', html)


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", FILM_URL, {}),
        ("GET", FILM_URL, {"HX-Request": "true"}),
        ("GET", "/sitemap.xml", {}),
        ("POST", f"{FILM_URL}/rating", {"HX-Request": "true"}),
        ("GET", "/admin/sign-in", {}),
        ("GET", "/no-such-page", {}),
    ],
)
def test_a_host_the_site_is_not_gets_400(site, method, path, headers):
    response = site.test_client().open(
        path, method=method, headers=headers, base_url="http://evil.example"
    )
    assert response.status_code == 400
    assert response.get_data(as_text=True) == UNKNOWN
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_without_site_url_an_operators_server_answers_loopback_names_only(
    database_url, monkeypatch
):
    """Started from the environment without SITE_URL (make run), the request's host is used for
    links, so only this machine's names are trusted; SITE_URL or TRUSTED_HOSTS open the rest."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    for environment, answers in (
        ({}, {"127.0.0.1:8000": 200, "localhost": 200, "films.example.com": 400}),
        ({"SITE_URL": SITE}, {"films.example.com": 200, "127.0.0.1:8000": 400}),
        ({"SITE_URL": SITE, "TRUSTED_HOSTS": "a.example, b.example"}, {"b.example": 200}),
        ({"TRUSTED_HOSTS": "films.example.com"}, {"films.example.com": 200, "localhost": 400}),
    ):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        app = create_app()
        try:
            client = app.test_client()
            got = {
                host: client.get("/healthz", base_url=f"http://{host}").status_code
                for host in answers
            }
            assert got == answers, environment
        finally:
            with app.app_context():
                db.engine.dispose()
        for name in environment:
            monkeypatch.delenv(name)


@pytest.mark.parametrize("value", ["films.example.com", "ftp://films.example.com", "https://"])
def test_a_site_url_that_is_no_address_stops_the_start(database_url, value):
    with pytest.raises(ValueError, match="SITE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SITE_URL": value})
