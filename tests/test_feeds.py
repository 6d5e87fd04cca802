"""Atom feeds: the site's, a genre's and a person's parse cleanly, hold the visible reviews
newest first with absolute addresses, keep each entry's id through an edit, answer 304 to a
reader whose copy is current, and are named by the pages they follow."""

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Film, User
from tests.catalog import import_catalog
from tests.conftest import demo_app

FEEDS = ["/feed.atom", "/genres/drama/feed.atom", "/people/peter-weir/feed.atom"]


@pytest.fixture
def catalog(app, tmp_path):
    import_catalog(app, tmp_path)


def parsed(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def slugs(feed):
    return [entry.link.rsplit("/", 1)[1] for entry in feed.entries]


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_and_lists_visible_reviews_newest_first(client, catalog, url):
    feed = parsed(client, url)
    assert feed.version == "atom10"
    assert feed.entries and "secret-film" not in slugs(feed) and "coming-soon" not in slugs(feed)
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    for entry in feed.entries:
        assert entry.link.startswith("http://marquee.test/films/")
        assert entry.id.startswith("tag:marquee.test,2026-01-01:film/")
        assert entry.author and entry.updated_parsed and entry.published_parsed
        assert re.search(r'<img [^>]*src="http://marquee.test/', entry.content[0].value)


def test_the_person_feed_has_their_films_only(client, catalog):
    assert slugs(parsed(client, "/people/peter-weir/feed.atom")) == [
        "the-truman-show",
        "dead-poets-society",
        "the-way-back",
    ]


def test_a_site_feed_entry_carries_the_review(client):
    entry = parsed(client, "/feed.atom").entries[0]
    assert entry.title == "The Way Back (2010)"
    assert entry.author == "Marquee"  # no byline: the site's name
    assert "epic survival drama film" in entry.content[0].value
    assert {tag.term for tag in entry.tags} == {"adventure", "drama", "history"}


def test_an_entry_has_the_owners_score_verdict_and_byline(app, client, owner_account):
    with app.app_context():
        film = db.session.get(Film, 1)
        film.score_halves, film.verdict = 9, "A long walk worth taking"
        film.author = db.session.scalar(select(User))
        film.author.display_name = "Anna Kowalska"
        db.session.commit()
    entry = parsed(client, "/feed.atom").entries[0]
    assert entry.author == "Anna Kowalska"
    assert "<strong>4.5 / 5: A long walk worth taking</strong>" in entry.content[0].value
    with app.app_context():
        db.session.scalar(select(User)).display_name = "Anna K."
        db.session.commit()
    assert parsed(client, "/feed.atom").entries[0].author == "Anna K."  # not the kept feed


def test_entry_ids_stay_when_the_film_is_renamed(app, client):
    before = parsed(client, "/feed.atom").entries[0]
    with app.app_context():
        film = db.session.get(Film, 1)
        film.slug, film.title = "way-back", "The Way Back, edited"
        film.updated_at = film.updated_at + timedelta(seconds=5)
        db.session.commit()
    after = parsed(client, "/feed.atom").entries[0]
    assert after.id == before.id == "tag:marquee.test,2026-01-01:film/1"
    assert after.title == "The Way Back, edited (2010)" and after.link.endswith("/way-back")
    assert after.updated_parsed > before.updated_parsed


@pytest.mark.parametrize("url", FEEDS)
def test_a_current_copy_gets_304_and_an_edit_a_new_version(app, client, catalog, url):
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    # If-None-Match decides alone: another version is sent in full, whatever the date says.
    other = client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
    assert other.status_code == 200
    with app.app_context():
        film = db.session.get(Film, 1)
        film.updated_at = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=2)
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 200


def test_unknown_genre_or_person_feed_is_404(client):
    assert client.get("/genres/nothing/feed.atom").status_code == 404
    assert client.get("/people/nobody/feed.atom").status_code == 404


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/feed.atom"),
        ("/reviews", "/feed.atom"),
        ("/genres/drama", "/genres/drama/feed.atom"),
        ("/people/peter-weir", "/people/peter-weir/feed.atom"),
    ],
)
def test_pages_name_their_feed(client, url, feed):
    html = client.get(url).text
    atom = r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"'
    links = re.findall(atom, html)
    assert links == [f"http://marquee.test{feed}"]


def test_feed_addresses_come_from_site_url(database_url, tmp_path):
    app = demo_app(
        database_url, tmp_path, SERVER_NAME=None, SITE_URL="https://films.example.com/blog"
    )
    feed = parsed(app.test_client(), "/feed.atom", base_url="http://films.example.com")
    assert feed.feed.id == "https://films.example.com/blog/feed.atom"
    entry = feed.entries[0]
    assert entry.id == "tag:films.example.com,2026-01-01:film/1"
    assert entry.link == "https://films.example.com/blog/films/the-way-back"
    with app.app_context():
        db.engine.dispose()
