"""The header's ways in: its navigation on every page, the reviews archive paged by key, the
genres and the years with their counts, and the sitemap (an index past its limit)."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.catalog import import_catalog
from tests.helpers import add_films, next_link

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def catalog(app, tmp_path):
    import_catalog(app, tmp_path)


def listed(html):
    return re.findall(r'<h3 class="card-title"><a href="/films/([^"]+)">', html)


def nav(html):
    part = html[html.index('<nav class="site-nav"') :]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', part[: part.index("</nav>")])


@pytest.mark.parametrize("url", ["/", "/films/the-way-back", "/search?q=way", "/nowhere"])
def test_every_page_has_the_site_navigation(client, url):
    assert nav(client.get(url).text) == [
        ("/reviews", "Reviews"),
        ("/genres", "Genres"),
        ("/years", "Years"),
        ("/about", "About"),
    ]


def test_the_current_section_is_marked(client):
    html = client.get("/genres").text
    assert '<a href="/genres" aria-current="page">Genres</a>' in html
    assert '<a href="/reviews">Reviews</a>' in html


def test_the_reviews_archive_lists_every_visible_review_newest_first_paged_by_key(app, client):
    slugs = add_films(app, [(0, 0, 0, 0, 0)] * 30)
    pages, url = [], "/reviews"
    while url:
        html = client.get(url).text
        pages.append(listed(html))
        url = next_link(html)
    assert [len(page) for page in pages] == [24, 7]
    assert [slug for page in pages for slug in page] == [*reversed(slugs), "the-way-back"]
    assert "<title>All reviews – Marquee</title>" in client.get("/reviews").text
    assert client.get("/reviews?after=nonsense").status_code == 404


def test_the_reviews_archive_hides_what_is_not_visible(client, catalog):
    html = client.get("/reviews").text
    assert "the-way-back" in listed(html) and "Secret" not in html and "Coming" not in html


def test_genres_index_counts_visible_films(client, catalog):
    html = client.get("/genres").text
    found = re.findall(
        r'<a href="/genres/([^"]+)">([^<]+)</a> <span class="count">([^<]+)</span>', html
    )
    counts = {slug: count for slug, _name, count in found}
    assert counts["drama"] == "5 films"  # as the drama page lists them
    assert counts["western"] == "1 film"
    assert "musical" not in counts  # only a film yet to come
    assert [name for _slug, name, _count in found] == sorted(name for _s, name, _c in found)


def test_years_index_groups_years_by_decade_newest_first(client, catalog):
    html = client.get("/years").text
    decades = re.findall(r'<h2 id="decade-(\d+)">', html)
    assert decades == sorted(decades, reverse=True) and "2010" in decades
    assert '<a href="/years/2010">2010</a> <span class="count">1 film</span>' in html
    assert "/years/2027" not in html  # the coming film's year


def test_empty_site_lists_say_so(app, client):
    from app.extensions import db
    from app.models import Film

    with app.app_context():
        db.session.query(Film).update({"is_published": False})
        db.session.commit()
    for url in ("/reviews", "/genres", "/years"):
        response = client.get(url)
        assert response.status_code == 200 and "No reviews yet." in response.text


def sitemap_locs(client, url):
    root = ET.fromstring(client.get(url).get_data())
    return root.tag, [element.findtext(f"{SITEMAP}loc") for element in root]


def test_the_sitemap_becomes_an_index_past_its_limit(app, client):
    tag, every = sitemap_locs(client, "/sitemap.xml")
    assert tag == f"{SITEMAP}urlset"
    assert client.get("/sitemap-1.xml").status_code == 404  # one file holds them all
    app.config["SITEMAP_MAX_URLS"] = 10
    tag, parts = sitemap_locs(client, "/sitemap.xml")
    assert tag == f"{SITEMAP}sitemapindex"
    assert parts == [f"http://marquee.test/sitemap-{n}.xml" for n in (1, 2, 3)]
    found = []
    for part in parts:
        tag, locs = sitemap_locs(client, part.removeprefix("http://marquee.test"))
        assert tag == f"{SITEMAP}urlset" and 0 < len(locs) <= 10
        found += locs
    assert found == every
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404
