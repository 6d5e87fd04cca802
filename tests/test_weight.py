"""Weight: the first view of a film page is at most 4 requests and 60 KB compressed in all,
its poster (or title card) included."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import brotli
import pytest

from tests.helpers import FILM_URL
from tests.posters import encoded, film_file, photo

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
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


class Subresources(HTMLParser):
    """What a browser fetches to show a page: stylesheets, scripts, icons, and of each image
    the largest candidate (what a phone's 2x or 3x screen takes), from the <picture>'s first
    <source> when it has one; data: URLs cost no request."""

    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self._source: str | None = None
        self.feed(html)

    @staticmethod
    def _largest(srcset: str) -> str:
        candidates = [c.split() for c in srcset.split(",")]
        return max(candidates, key=lambda c: int(c[1].removesuffix("w")))[0]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rels = {"stylesheet", "icon", "preload", "modulepreload"}
        if tag == "link" and a.get("rel") in rels:
            self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "source" and self._source is None:
            self._source = self._largest(a["srcset"])
        elif tag == "img":
            srcset = a.get("srcset")
            self.urls.append(self._source or (self._largest(srcset) if srcset else a["src"]))
            self._source = None


def first_view(client, url=FILM_URL):
    """Every response a first-time visitor's browser downloads, as (url, response) pairs."""
    page = client.get(url, headers=BROWSER)
    fetched = [(url, page)]
    queue = Subresources(decoded(page)).urls
    while queue:
        url = queue.pop(0)
        if url.startswith("data:"):
            continue
        response = client.get(urlsplit(url).path, headers=BROWSER)
        fetched.append((url, response))
        if response.mimetype == "text/css":
            queue += CSS_URL.findall(decoded(response))
    return fetched


@pytest.fixture
def poster_url(runner, tmp_path):
    """A film with a poster of a photograph's detail (the demo film has none: its title card)."""
    path = film_file(tmp_path, data=encoded(photo((1000, 1500)), quality=92))
    assert runner.invoke(args=["films", "import", str(path)]).exit_code == 0
    return "/films/posted"


def weights(fetched) -> dict[str, int]:
    return {urlsplit(url).path: len(response.data) for url, response in fetched}


def test_first_view_is_at_most_4_requests_and_60_kb_compressed(client, poster_url):
    for url in (FILM_URL, poster_url):
        fetched = first_view(client, url)
        assert all(response.status_code == 200 for _, response in fetched)
        kinds = [response.mimetype for _, response in fetched]
        assert kinds[0] == "text/html" and kinds[-1].startswith("image/"), kinds
        assert len(fetched) <= 4, [url for url, _ in fetched]
        total = sum(len(response.data) for _, response in fetched)
        assert total <= 60 * 1024, weights(fetched)
        print(
            f"first view of {url}: {len(fetched)} requests, {total / 1024:.1f} KB", weights(fetched)
        )


def test_every_text_response_of_the_first_view_is_compressed(client):
    for url, response in first_view(client):
        if response.mimetype.startswith("image/") and response.mimetype != "image/svg+xml":
            continue  # WebP, JPEG and PNG are compressed already
        assert response.headers.get("Content-Encoding") in {"br", "gzip"}, url
        assert "Accept-Encoding" in response.headers.get("Vary", ""), url


def test_static_files_have_content_hashed_urls_cached_for_a_year(client, poster_url):
    subresources = first_view(client)[1:] + first_view(client, poster_url)[1:]
    assert len(subresources) == 6
    for url, response in subresources:
        assert re.fullmatch(
            r"/(assets|posters|posters/title-cards/[\w-]+)/[0-9a-f]{16}(/[\w.-]+|\.svg)", url
        ), url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
