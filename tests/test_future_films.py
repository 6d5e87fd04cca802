"""A film dated in the future is held back everywhere a visitor could reach it, until its day."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Comment, Film, Tally, Vote
from tests.helpers import FILM_URL, HTMX, RATING_URL, SLUG, add_films, card_slugs, tallies

COMMENTS_URL = f"{FILM_URL}/comments"


def date_demo_film(app, days_from_today: int) -> None:
    """Move the demo film's date, and give it enough votes to lead Top rated when visible."""
    today = datetime.now(UTC).date()  # the database's CURRENT_DATE, which both keep in UTC
    with app.app_context():
        db.session.execute(
            update(Film)
            .where(Film.slug == SLUG)
            .values(published_on=today + timedelta(days=days_from_today))
        )
        db.session.execute(update(Tally).where(Tally.film_id == 1).values(count=50, s5=50))
        db.session.commit()


@pytest.fixture
def other_film(app):
    """A visible film, with fewer votes than the demo film has after date_demo_film()."""
    app.config["TOP_RATED_SECONDS"] = 0  # a new Top rated order for every request
    (slug,) = add_films(app, [(0, 0, 0, 20, 0)])
    return slug


def comments_on_demo_film(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def test_a_film_dated_tomorrow_is_nowhere_a_visitor_looks(app, client, visitor, other_film):
    date_demo_film(app, 1)
    home = client.get("/").get_data(as_text=True)
    assert card_slugs(home, "newest") == [other_film]
    assert card_slugs(home, "top") == [other_film]
    assert SLUG not in home
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert other_film in sitemap and SLUG not in sitemap
    assert client.get(FILM_URL).status_code == 404
    assert client.get(RATING_URL).status_code == 404
    assert client.get(RATING_URL, headers=HTMX).status_code == 404

    before = tallies(app)
    # The token is valid (the visitor saw the page yesterday): only the film's date refuses.
    assert visitor.vote("3").status_code == 404
    assert visitor.vote("3", htmx=False).status_code == 404
    assert visitor.remove().status_code == 404
    posted = visitor.client.post(
        COMMENTS_URL,
        data={"csrf_token": visitor.token, "name": "Early", "comment": "Seen it already."},
        headers=HTMX,
    )
    assert posted.status_code == 404
    assert tallies(app) == before
    assert comments_on_demo_film(app) == 0


def test_a_film_dated_today_is_shown_everywhere(app, client, visitor, other_film):
    date_demo_film(app, 1)
    assert client.get(FILM_URL).status_code == 404  # kept nothing that hides it later
    date_demo_film(app, 0)
    home = client.get("/").get_data(as_text=True)
    assert card_slugs(home, "newest")[0] == SLUG
    assert card_slugs(home, "top") == [SLUG, other_film]
    assert SLUG in client.get("/sitemap.xml").get_data(as_text=True)
    assert client.get(FILM_URL).status_code == 200
    assert client.get(RATING_URL).status_code == 200
    assert visitor.vote("3").status_code == 200
    assert visitor.remove().status_code == 200
    posted = visitor.client.post(
        COMMENTS_URL,
        data={"csrf_token": visitor.token, "name": "On time", "comment": "Seen it today."},
        headers=HTMX,
    )
    assert posted.status_code == 200
    assert comments_on_demo_film(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 1  # the seed's
