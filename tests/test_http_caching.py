"""What shared caches and returning browsers may keep: `Vary: Cookie` only on answers that
depend on the cookie; ETags and 304 Not Modified on the pages that are kept."""

import pytest

from app.core.assets import asset_url
from tests.helpers import FILM_URL, HTMX, RATING_URL, csrf_token


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


def _asset(app) -> str:
    with app.test_request_context():
        return asset_url("style.css")


@pytest.mark.parametrize(
    "url", ["/", "/healthz", "/sitemap.xml", "/robots.txt", "/search?q=way", "asset"]
)
def test_public_answers_do_not_vary_by_cookie(app, client, url):
    client.get(FILM_URL)  # a returning visitor: the browser now has a session cookie
    response = client.get(_asset(app) if url == "asset" else url)
    assert response.status_code == 200
    assert "cookie" not in _vary(response)
    assert "Set-Cookie" not in response.headers


def test_a_first_visit_to_the_home_page_sets_no_cookie(client):
    response = client.get("/")
    assert "cookie" not in _vary(response)
    assert "Set-Cookie" not in response.headers


def test_the_film_page_varies_by_cookie(client):
    """It shows the visitor's own vote and carries their CSRF token, both from the cookie."""
    first = client.get(FILM_URL)
    assert "cookie" in _vary(first)
    assert "Set-Cookie" in first.headers  # the new visitor's id and token
    again = client.get(FILM_URL)
    assert "cookie" in _vary(again)
    assert "Set-Cookie" not in again.headers  # nothing new to keep
    fragment = client.get(RATING_URL, headers=HTMX)
    assert {"cookie", "hx-request"} <= _vary(fragment)


def test_the_admin_still_varies_by_cookie(client):
    response = client.get("/admin/sign-in")
    assert "cookie" in _vary(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_vote_answers_with_the_token_it_was_checked_with(visitor):
    response = visitor.vote(4)
    assert response.status_code == 200
    assert csrf_token(response.get_data(as_text=True)) == visitor.token
    assert "Set-Cookie" not in response.headers  # nothing in the session changed
    assert visitor.vote(5).status_code == 200  # and that token still votes
