"""A film whose slug the owner changes keeps answering at its old address with a 301; changing
it back leaves no loop, and a new film given an old address takes it over."""

from sqlalchemy import select

from app.extensions import db
from app.models import Redirect
from tests.admin.test_films_admin import NEW
from tests.helpers import FILM_URL, SLUG


def rename(owner, old, new, **fields):
    edit = owner.get(f"/admin/films/{old}")
    assert edit.status_code == 200
    response = owner.post(
        f"/admin/films/{old}", {**NEW, "title": "The Way Back", "slug": new, **fields}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


def redirects(app) -> dict[str, int | None]:
    with app.app_context():
        return dict(db.session.execute(select(Redirect.old_path, Redirect.film_id)).all())


def test_a_changed_slug_answers_at_the_old_address_with_a_301(app, owner, client):
    rename(owner, SLUG, "the-long-walk")
    assert redirects(app) == {FILM_URL: 1}
    old = client.get(FILM_URL)
    assert old.status_code == 301 and old.location == "/films/the-long-walk"
    assert client.get("/films/the-long-walk").status_code == 200
    # Again: both earlier addresses go straight to the current one, never through a chain.
    rename(owner, "the-long-walk", "walking-out")
    assert redirects(app) == {FILM_URL: 1, "/films/the-long-walk": 1}
    for earlier in (FILM_URL, "/films/the-long-walk"):
        moved = client.get(earlier)
        assert moved.status_code == 301 and moved.location == "/films/walking-out"


def test_a_slug_changed_back_leaves_no_loop(app, owner, client):
    rename(owner, SLUG, "the-long-walk")
    rename(owner, "the-long-walk", SLUG)
    assert redirects(app) == {"/films/the-long-walk": 1}
    assert client.get(FILM_URL).status_code == 200
    back = client.get("/films/the-long-walk")
    assert back.status_code == 301 and back.location == FILM_URL


def test_an_unchanged_slug_adds_nothing_and_a_new_film_takes_an_old_address(app, owner, client):
    rename(owner, SLUG, SLUG, country="Poland")
    assert redirects(app) == {}
    rename(owner, SLUG, "the-long-walk")
    created = owner.post("/admin/new-film", {**NEW, "slug": SLUG, "title": "Another Way Back"})
    assert created.status_code == 303
    assert redirects(app) == {}
    assert "Another Way Back" in client.get(FILM_URL).get_data(as_text=True)


def test_an_old_address_does_not_reveal_a_film_that_is_not_live(app, owner, client):
    rename(owner, SLUG, "the-long-walk", is_published="")
    assert client.get(FILM_URL).status_code == 404
    assert client.get("/films/the-long-walk").status_code == 404


def test_a_refused_change_adds_no_redirect(app, owner):
    response = owner.post(f"/admin/films/{SLUG}", {**NEW, "slug": "the-long-walk", "year": "1500"})
    assert response.status_code == 422
    assert redirects(app) == {}
