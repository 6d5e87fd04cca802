"""What search engines read: robots.txt, sitemap.xml, the page head and the JSON-LD Movie."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

from sqlalchemy import update

from app.extensions import db
from app.models import Film, Tally, Vote
from tests.conftest import FILM_URL
from tests.test_ratings import block_of, text_of

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def jsonld(html):
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


def test_robots_allows_all_and_names_the_absolute_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Sitemap: http://marquee.test/sitemap.xml" in lines


def test_sitemap_lists_home_and_every_published_film_with_lastmod(app, client):
    with app.app_context():
        film = db.session.get(Film, 1)
        db.session.add(
            Film(
                slug="hidden",
                title="Hidden",
                year=2001,
                published_on=film.published_on,
                lead="x",
                is_published=False,
                tally=Tally(count=0, s1=0, s2=0, s3=0, s4=0, s5=0),
            )
        )
        updated = film.updated_at
        db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    film_url = "http://marquee.test/films/the-way-back"
    assert set(urls) == {"http://marquee.test/", film_url}
    assert urls[film_url] == updated.replace(microsecond=0).isoformat() + "+00:00"


def test_sitemap_escapes_what_it_writes(app, client):
    app.config["SERVER_NAME"] = "marquee.test"
    app.config["APPLICATION_ROOT"] = "/a&b"
    body = client.get("/sitemap.xml", base_url="http://marquee.test/a&b").get_data(as_text=True)
    assert "/a&amp;b/films/the-way-back" in body
    ET.fromstring(body)


def test_film_page_head(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "<title>The Way Back (2010) \u2013 Marquee</title>" in html
    canonical = "http://marquee.test/films/the-way-back"
    assert f'<link rel="canonical" href="{canonical}">' in html
    description = unescape(re.search(r'<meta name="description" content="([^"]+)">', html)[1])
    assert description.startswith("\u201cThe Way Back\u201d is an epic survival drama film")
    assert len(description) <= 160
    assert description == jsonld(html)["description"]
    for tag in (
        'property="og:type" content="video.movie"',
        'property="og:title" content="The Way Back (2010)"',
        f'property="og:url" content="{canonical}"',
        'name="twitter:card" content="summary"',
        'name="twitter:title" content="The Way Back (2010)"',
    ):
        assert tag in html


def test_jsonld_is_a_schema_org_movie(client):
    data = jsonld(client.get(FILM_URL).get_data(as_text=True))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Movie"
    assert data["name"] == "The Way Back"
    assert data["url"] == "http://marquee.test/films/the-way-back"
    assert {"@type": "Person", "name": "Peter Weir"} in data["director"]
    assert {"@type": "Person", "name": "Jim Sturgess"} in data["actor"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["datePublished"])
    assert data["duration"] == "PT2H13M"
    assert data["description"]


def test_aggregate_rating_equals_the_visible_numbers(app, new_visitor, client):
    for stars in ("4", "4", "4"):
        new_visitor().vote(stars)
    html = client.get(FILM_URL).get_data(as_text=True)
    visible = re.search(r"Average rating (\S+) / 5\. Vote count: (\d+)", text_of(block_of(html)))
    rating = jsonld(html)["aggregateRating"]
    assert rating == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "ratingCount": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert (str(rating["ratingValue"]), str(rating["ratingCount"])) == visible.groups()


def test_whole_average_is_a_whole_number_in_jsonld_as_on_the_page(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "Average rating 5 / 5. Vote count: 1" in text_of(block_of(html))
    assert jsonld(html)["aggregateRating"]["ratingValue"] == 5


def test_no_aggregate_rating_without_votes(app, client):
    with app.app_context():
        db.session.execute(db.delete(Vote))
        db.session.execute(update(Tally).values(count=0, s5=0))
        db.session.commit()
    assert "aggregateRating" not in jsonld(client.get(FILM_URL).get_data(as_text=True))


def test_jsonld_cannot_close_its_script_element(app, client):
    with app.app_context():
        db.session.execute(update(Film).values(title="</script><script>alert(1)</script>"))
        db.session.commit()
    html = client.get(FILM_URL).get_data(as_text=True)
    assert jsonld(html)["name"] == "</script><script>alert(1)</script>"
