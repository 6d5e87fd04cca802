"""What search engines read: robots.txt, sitemap.xml, the page head and the JSON-LD Movie."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape

from app.extensions import db
from app.models import Film, Release, Tally
from tests.helpers import FILM_URL, block_of, jsonld, text_of

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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
                body="x",
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
    people = {
        "peter-weir", "keith-clarke", "joni-levin", "duncan-henderson", "nigel-sinclair",
        "scott-rudin", "jim-sturgess", "ed-harris", "saoirse-ronan", "colin-farrell",
        "russell-boyd", "lee-smith", "burkhard-dallwitz",
    }  # fmt: skip
    assert set(urls) == {
        "http://marquee.test/",
        *(f"http://marquee.test/{page}" for page in ("reviews", "genres", "years", "about")),
        film_url,
        *(f"http://marquee.test/people/{slug}" for slug in people),
        *(f"http://marquee.test/genres/{slug}" for slug in ("adventure", "drama", "history")),
        "http://marquee.test/years/2010",  # not 2001: the hidden film's year
    }
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
        'name="twitter:card" content="summary_large_image"',
        'name="twitter:title" content="The Way Back (2010)"',
    ):
        assert tag in html


# The schema.org properties a Movie (and its Thing, CreativeWork ancestors) may carry that the
# page uses, with the type each value must have.
MOVIE_PROPERTIES = {
    "@context": str,
    "@type": str,
    "name": str,
    "url": str,
    "image": str,
    "description": str,
    "director": list,
    "actor": list,
    "datePublished": str,
    "duration": str,
    "countryOfOrigin": dict,
    "inLanguage": (str, list),
    "dateCreated": str,
    "isBasedOn": dict,
    "aggregateRating": dict,
}


def test_jsonld_is_a_valid_schema_org_movie(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    data = jsonld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Movie"
    for key, value in data.items():
        assert isinstance(value, MOVIE_PROPERTIES[key]), key
    assert data["url"] == "http://marquee.test/films/the-way-back"
    assert data["director"] and data["actor"]
    assert all(p["@type"] == "Person" and p["name"] for p in data["director"] + data["actor"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["datePublished"])
    assert data["inLanguage"] == "en"  # BCP 47, not "English"
    assert data["dateCreated"] == "2010-09-03"  # the first showing, at Telluride
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?", data["duration"])
    assert data["countryOfOrigin"] == {"@type": "Country", "name": "United States"}
    assert data["isBasedOn"]["@type"] == "Book"
    rating = data["aggregateRating"]
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert isinstance(rating["ratingCount"], int) and rating["ratingCount"] >= 1


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


def film_jsonld(app, client, **changes):
    """The demo film's JSON-LD after changing its row."""
    with app.app_context():
        db.session.execute(db.update(Film).where(Film.id == 1).values(**changes))
        db.session.commit()
    return jsonld(client.get(FILM_URL).get_data(as_text=True))


def test_in_language_is_bcp_47_codes_and_unknown_names_are_left_out(app, client):
    data = film_jsonld(app, client, languages="English, Klingon, Russian")
    assert data["inLanguage"] == ["en", "ru"]


def test_no_in_language_when_no_language_is_known(app, client):
    assert "inLanguage" not in film_jsonld(app, client, languages="Klingon")
    assert "inLanguage" not in film_jsonld(app, client, languages="")


def test_date_created_is_the_earliest_release_wherever_it_is_listed(app, client):
    with app.app_context():
        db.session.execute(
            db.update(Release).where(Release.position == 1).values(released_on=date(2010, 1, 22))
        )
        db.session.commit()
    data = jsonld(client.get(FILM_URL).get_data(as_text=True))
    assert data["dateCreated"] == "2010-01-22"
    assert data["datePublished"] == "2010-09-03"  # the first listed, as before
