"""Security headers on every response (pages, fragments, errors, static files) and cookies."""

import re
from pathlib import Path

import pytest

from app.core import assets
from tests.helpers import FILM_URL, HTMX, SLUG, Visitor
from tests.reliability.helpers import TRIGGERS, request

# Values for the URL parameters of every route, so that each route is requested for real.
ROUTE_ARGUMENTS = {
    "slug": SLUG,
    "year": "2010",
    "filename": "style.css",
    "comment_id": "1",
    "digest": assets.digest((Path(__file__).parents[2] / "static" / "style.css").read_bytes()),
    # A poster's rendition and a title card's kind (unknown digests: their 404s get headers too).
    "name": "160.webp",
    "extension": "svg",
    "number": "1",
}


def assert_secure(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions
    if response.mimetype == "text/html":
        assert_no_inline_code(response.get_data(as_text=True))


def assert_no_inline_code(html):
    """What the CSP would block must not be in the markup at all."""
    # JSON-LD is data, never run: the CSP does not apply to it.
    scripts = re.findall(r"<script\b[^>]*>", html)
    code = [s for s in scripts if "src=" not in s and 'type="application/ld+json"' not in s]
    assert not code, "inline script"
    assert "<style" not in html, "inline style element"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "hx-on" not in html and "javascript:" not in html


def every_route(app):
    """(method, url) for each rule and method the app serves, its parameters filled in."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/test-fail/"):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", ROUTE_ARGUMENTS[name])
            url = re.sub(rf"<[^:>]+:{name}>", ROUTE_ARGUMENTS[name], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_route_with_every_method_carries_the_headers(raising_app):
    visitor = Visitor(raising_app.test_client())
    seen = []
    for method, url in every_route(raising_app):
        for headers in ({}, HTMX):
            data = {"csrf_token": visitor.token, "stars": "4"} if method == "POST" else None
            response = visitor.client.open(url, method=method, data=data, headers=headers)
            assert response.status_code < 500, (method, url)
            assert_secure(response)
            response.close()
            seen.append((method, url, response.status_code))
    urls = {url for _, url, _ in seen}
    assert {"/", FILM_URL, f"{FILM_URL}/rating", "/healthz", "/static/style.css"} <= urls


@pytest.mark.parametrize("code", sorted(TRIGGERS))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_every_error_carries_the_headers(raising_app, code, htmx):
    response = request(raising_app.test_client(), code, htmx=htmx)
    assert response.status_code == code
    assert_secure(response)


def test_refusals_in_the_rating_block_carry_the_headers(app, visitor):
    responses = [visitor.vote("9"), visitor.vote("9", htmx=False)]
    responses += [visitor.client.post(f"{FILM_URL}/rating", data={"stars": "3"}, headers=HTMX)]
    responses += [visitor.vote("3") for _ in range(11)][-1:]
    assert [r.status_code for r in responses] == [422, 422, 400, 429]
    for response in responses:
        assert_secure(response)


@pytest.mark.parametrize("filename", ["style.css", "htmx-4.0.1.min.js"])
def test_static_files_carry_the_headers(client, filename):
    response = client.get(f"/static/{filename}")
    assert response.status_code == 200
    assert_secure(response)
    response.close()


def test_the_session_cookie_is_httponly_and_lax_and_not_secure_by_default(client):
    cookie = client.get(FILM_URL).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_configured(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = app.test_client().get(FILM_URL, base_url="https://marquee.test").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_htmx_is_told_to_inject_no_styles(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert '<meta name="htmx-config" content=\'{"includeIndicatorCSS": false}\'>' in html
