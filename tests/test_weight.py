"""Weight: the first view of a film page is at most 3 requests and 40 KB compressed in all."""

import gzip
import re
from urllib.parse import urlsplit

import brotli

from tests.helpers import FILM_URL

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
# What a browser fetches to show a page: stylesheets, scripts, images, icons, fonts and
# anything a stylesheet pulls in with url(); data: URLs cost no request.
SUBRESOURCE = re.compile(
    r'<(?:link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href|script[^>]*src|img[^>]*src)="([^"]+)"'
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def decoded(response) -> str:
    """The text of a response as the browser reads it, whatever its Content-Encoding."""
    data = response.data
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        data = brotli.decompress(data)
    elif encoding == "gzip":
        data = gzip.decompress(data)
    return data.decode()


def first_view(client):
    """Every response a first-time visitor's browser downloads, as (url, response) pairs."""
    page = client.get(FILM_URL, headers=BROWSER)
    fetched = [(FILM_URL, page)]
    queue = SUBRESOURCE.findall(decoded(page))
    while queue:
        url = queue.pop(0)
        if url.startswith("data:"):
            continue
        response = client.get(urlsplit(url).path, headers=BROWSER)
        fetched.append((url, response))
        if response.mimetype == "text/css":
            queue += CSS_URL.findall(decoded(response))
    return fetched


def test_first_view_is_at_most_3_requests_and_40_kb_compressed(client):
    fetched = first_view(client)
    assert all(response.status_code == 200 for _, response in fetched)
    assert len(fetched) <= 3, [url for url, _ in fetched]
    total = sum(len(response.data) for _, response in fetched)
    assert total <= 40 * 1024, {url: len(response.data) for url, response in fetched}


def test_every_text_response_of_the_first_view_is_compressed(client):
    for url, response in first_view(client):
        assert response.headers.get("Content-Encoding") in {"br", "gzip"}, url
        assert "Accept-Encoding" in response.headers.get("Vary", ""), url


def test_static_files_have_content_hashed_urls_cached_for_a_year(client):
    subresources = first_view(client)[1:]
    assert subresources
    for url, response in subresources:
        assert re.fullmatch(r"/assets/[0-9a-f]{16}/[\w.-]+", url), url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
