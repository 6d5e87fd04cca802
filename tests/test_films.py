"""The film page, the home page, health, and error pages."""

import re

from sqlalchemy import text

from app.extensions import db
from tests.helpers import FILM_URL, jsonld


def test_film_page_shows_every_part_of_the_seed_in_order(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    order = [
        "Marquee",
        "Sat. Jul 20th, 2024",
        "<h1",
        "is an epic survival drama film directed by Peter Weir",
        "Led by Janusz (Jim Sturgess)",
        "an American (Ed Harris), a Russian (Colin Farrell)",
        "Peter Weir's direction was also lauded",
        "In 1940, a group of prisoners",
        "As they travel through the unforgiving terrain",
        "did not receive major awards or nominations",
        "it has gained",
        "Directed by",
        "Screenplay by",
        "Keith Clarke",
        "Based on",
        "The Long Walk",
        "Sławomir Rawicz",
        "Produced by",
        "Joni Levin",
        "Duncan Henderson",
        "Nigel Sinclair",
        "Scott Rudin",
        "Starring",
        "Jim Sturgess",
        "Ed Harris",
        "Saoirse Ronan",
        "Colin Farrell",
        "Cinematography",
        "Russell Boyd",
        "Edited by",
        "Lee Smith",
        "Music by",
        "Burkhard Dallwitz",
        "Production companies",
        "National Geographic Films",
        "Film Fund Luxembourg",
        "Distributed by",
        "Newmarket Films",
        "Meteor Pictures",
        "Release dates",
        "September 3, 2010",
        "Telluride Film Festival",
        "December 29, 2010",
        "Running time",
        "133 minutes",
        "Country",
        "United States",
        "Languages",
        "English",
        "Please Rate this Movie!",
        "Click on a star to rate it!",
        "Have you seen the Movie? Add your ideas!",
    ]
    body = html[html.index("<body") :]
    at = 0
    for needle in order:
        found = body.find(needle, at)
        assert found >= 0, f"{needle!r} is missing or out of the seed's order"
        at = found + len(needle)


def test_page_head(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "<title>The Way Back (2010) – Marquee</title>" in html
    assert '<link rel="canonical" href="http://marquee.test/films/the-way-back">' in html
    assert re.search(r'<meta name="description" content="“The Way Back” is an epic', html)
    assert '<meta property="og:title" content="The Way Back (2010)">' in html


def test_jsonld_movie_matches_the_visible_numbers(client, visitor):
    data = jsonld(client.get(FILM_URL).get_data(as_text=True))
    assert data["@type"] == "Movie" and data["name"] == "The Way Back"
    assert data["director"] == [{"@type": "Person", "name": "Peter Weir"}]
    assert {a["name"] for a in data["actor"]} >= {"Jim Sturgess", "Ed Harris", "Saoirse Ronan"}
    assert data["duration"] == "PT2H13M"
    assert data["datePublished"] == "2010-09-03"
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 5,
        "ratingCount": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    visitor.vote("4")
    html = client.get(FILM_URL).get_data(as_text=True)
    rating = jsonld(html)["aggregateRating"]
    assert (rating["ratingValue"], rating["ratingCount"]) == (4.5, 2)
    assert "Average rating <strong>4.5</strong> / 5. Vote count: <strong>2</strong>" in html


def test_jsonld_has_no_rating_without_votes(app, client):
    with app.app_context():
        db.session.execute(text("DELETE FROM votes"))
        db.session.execute(text("UPDATE tallies SET count = 0, s5 = 0"))
        db.session.commit()
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "aggregateRating" not in jsonld(html)
    assert "No votes so far! Be the first to rate this movie." in html


def test_jsonld_cannot_break_out_of_its_script(app, client):
    with app.app_context():
        db.session.execute(text("UPDATE films SET title = '</script><script>alert(1)</script>'"))
        db.session.commit()
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert jsonld(html)["name"] == "</script><script>alert(1)</script>"


def test_home_lists_films_with_their_numbers(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/films/the-way-back"' in html
    assert "(2010)" in html
    assert "Average rating <strong>5</strong> / 5. Vote count: <strong>1</strong>" in html


def test_unpublished_film_is_404(app, client):
    with app.app_context():
        db.session.execute(text("UPDATE films SET is_published = false"))
        db.session.commit()
    assert client.get(FILM_URL).status_code == 404
    assert client.get(f"{FILM_URL}/rating").status_code == 404


def test_unknown_page_is_404_in_the_layout(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<a class="site-name" href="/">Marquee</a>' in html
    assert "Page not found" in html


def test_wrong_method_is_405_in_the_layout(client):
    response = client.delete(FILM_URL)
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)
    assert client.get(f"{FILM_URL}/rating/delete").status_code == 405


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "up"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    from app import create_app

    broken = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite3'}",
        }
    )
    client = broken.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"
    page = client.get(FILM_URL)
    assert page.status_code == 503
    assert "briefly unavailable" in page.get_data(as_text=True)
    with broken.app_context():
        db.engine.dispose()
