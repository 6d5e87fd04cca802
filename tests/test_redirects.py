"""Old addresses (a film's former slug, a blog's `/?p=ID`) answer with a 301; others stay 404."""

from datetime import date, timedelta

from sqlalchemy import select, update

from app.core.redirects import key
from app.extensions import db
from app.models import Film, Redirect
from tests.helpers import FILM_URL, SLUG


def add(app, **row):
    with app.app_context():
        if "film" in row:
            row["film_id"] = db.session.scalar(select(Film.id).where(Film.slug == row.pop("film")))
        db.session.add(Redirect(**row))
        db.session.commit()


def test_an_old_slug_answers_with_a_301_to_the_film_with_or_without_a_slash(app, client):
    add(app, old_path=key("/films/the-long-way-back/"), film=SLUG)
    for path in ("/films/the-long-way-back", "/films/the-long-way-back/"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response.location.endswith(FILM_URL)
    assert client.get("/films/never-was").status_code == 404


def test_a_query_address_matches_with_its_query_before_the_path_alone(app, client):
    add(app, old_path=key("/", "p=42"), film=SLUG)
    add(app, old_path=key("/old-blog/", "p=7"), target="/search?q=weir")
    add(app, old_path=key("/old-blog"), target="/films")
    assert client.get("/?p=42").location.endswith(FILM_URL)
    assert client.get("/old-blog/?p=7").location.endswith("/search?q=weir")
    assert client.get("/old-blog?p=8").location.endswith("/films")
    assert client.get("/?p=43").status_code == 200  # the home page itself is no 404


def test_a_redirect_to_a_film_not_yet_visible_stays_404(app, client):
    add(app, old_path="/films/soon", film=SLUG)
    with app.app_context():
        later = date.today() + timedelta(days=3)
        db.session.execute(update(Film).values(published_on=later))
        db.session.commit()
    assert client.get("/films/soon").status_code == 404


def test_a_post_to_an_old_address_is_not_redirected(app, client):
    add(app, old_path="/films/gone", film=SLUG)
    assert client.post("/films/gone").status_code in {404, 405}
