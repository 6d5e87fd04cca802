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
    assert "no-store" in response.headers["Cache-Control"]


def test_a_vote_answers_with_the_token_it_was_checked_with(visitor):
    response = visitor.vote(4)
    assert response.status_code == 200
    assert csrf_token(response.get_data(as_text=True)) == visitor.token
    assert "Set-Cookie" not in response.headers  # nothing in the session changed
    assert visitor.vote(5).status_code == 200  # and that token still votes


def _tag(response) -> str:
    assert response.status_code == 200
    return response.headers["ETag"]


@pytest.mark.parametrize(("url", "headers"), [(FILM_URL, {}), (RATING_URL, HTMX)])
def test_a_returning_visitor_gets_304_until_the_page_changes(new_visitor, url, headers):
    visitor, other = new_visitor(), new_visitor()
    tag = _tag(visitor.client.get(url, headers=headers))
    again = visitor.client.get(url, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == "private, no-cache"
    # Someone else's page is another page: their own token and vote.
    assert other.client.get(url, headers={**headers, "If-None-Match": tag}).status_code == 200
    # Anyone's vote changes the numbers every page shows.
    assert other.vote("2").status_code == 200
    changed = visitor.client.get(url, headers={**headers, "If-None-Match": tag})
    assert _tag(changed) != tag
    # And the visitor's own vote changes their page again.
    newer = changed.headers["ETag"]
    visitor.vote("5")
    assert _tag(visitor.client.get(url, headers={**headers, "If-None-Match": newer})) != newer


def test_a_compressed_pages_tag_matches_too(visitor):
    compressed = visitor.client.get(FILM_URL, headers={"Accept-Encoding": "br"})
    assert compressed.headers["Content-Encoding"] == "br"
    tag = _tag(compressed)
    assert tag.endswith(':br"')
    again = visitor.client.get(FILM_URL, headers={"Accept-Encoding": "br", "If-None-Match": tag})
    assert again.status_code == 304


def test_pages_with_more_than_the_film_have_no_tag(visitor):
    assert "ETag" not in visitor.client.get(FILM_URL + "?comments_page=2").headers
    refused = visitor.client.post(
        RATING_URL, data={"csrf_token": visitor.token, "stars": "9"}, headers={}
    )
    assert refused.status_code == 422 and "ETag" not in refused.headers


LISTS = ["/", "/genres/drama", "/people/peter-weir", "/years/2010", "/search?q=way"]


@pytest.mark.parametrize("url", LISTS)
def test_a_list_is_kept_and_answers_304_until_a_vote_changes_it(client, visitor, url):
    first = client.get(url)
    tag = _tag(first)
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag
    assert client.get(url).get_data() == first.get_data()
    visitor.vote("1")  # the demo film's card shows its numbers
    changed = client.get(url, headers={"If-None-Match": tag})
    assert _tag(changed) != tag
    assert changed.get_data() != first.get_data()


def test_a_kept_list_is_compressed_once_per_encoding(client, monkeypatch):
    from app.core import conditional

    made = []
    compress = conditional.brotli.compress
    monkeypatch.setattr(
        conditional.brotli, "compress", lambda *a, **k: made.append(1) or compress(*a, **k)
    )
    answers = [client.get("/", headers={"Accept-Encoding": "br"}) for _ in range(3)]
    assert all(a.headers["Content-Encoding"] == "br" for a in answers)
    assert len({a.get_data() for a in answers}) == 1 and len(made) == 1
    tag = answers[0].headers["ETag"]
    assert tag.endswith(':br"')
    assert client.get("/", headers={"If-None-Match": tag}).status_code == 304
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers and plain.headers["ETag"] != tag
