"""The rating block: its words in every state, votes, changes, removals and bad input."""

import re

import pytest

from app.extensions import db
from app.models import Tally, Vote
from tests.helpers import FILM_URL, HTMX, RATING_URL, block_of, tallies, text_of


def test_demo_film_starts_as_the_seed_shows_it(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    block = text_of(block_of(html))
    assert "Please Rate this Movie!" in block
    assert "Click on a star to rate it!" in block
    assert "Average rating 5 / 5. Vote count: 1" in block
    assert "Thank you for rating this movie!" not in block


def test_no_votes_words(app, visitor):
    visitor.vote("4")
    visitor.remove()
    with app.app_context():
        db.session.execute(db.delete(Vote))
        tally = db.session.get(Tally, 1)
        tally.count = tally.s5 = 0
        db.session.commit()
    block = text_of(visitor.client.get(RATING_URL).get_data(as_text=True))
    assert "No votes so far! Be the first to rate this movie." in block
    assert "Average rating" not in block


def test_vote_with_htmx_returns_the_block(app, visitor):
    response = visitor.vote("4")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<section id="rating"')
    words = text_of(html)
    assert "Thank you for rating this movie!" in words
    assert "Your rating: 4 / 5" in words
    assert "Average rating 4.5 / 5. Vote count: 2" in words
    assert "Remove my rating" in words
    assert 'aria-live="polite"' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert tallies(app) == (2, (0, 0, 0, 1, 1), 2)


def test_changing_a_vote_moves_it_and_never_adds_one(app, visitor):
    visitor.vote("4")
    words = text_of(visitor.vote("2").get_data(as_text=True))
    assert "Your rating: 2 / 5" in words
    assert "Average rating 3.5 / 5. Vote count: 2" in words
    assert tallies(app) == (2, (0, 1, 0, 0, 1), 2)
    visitor.vote("2")
    assert tallies(app) == (2, (0, 1, 0, 0, 1), 2)


def test_removing_a_vote(app, visitor):
    visitor.vote("1")
    response = visitor.remove()
    words = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Your rating" not in words and "Thank you" not in words
    assert "Average rating 5 / 5. Vote count: 1" in words
    assert tallies(app) == (1, (0, 0, 0, 0, 1), 1)
    # Removing again is harmless: nothing to remove, nothing changes.
    assert visitor.remove().status_code == 200
    assert tallies(app) == (1, (0, 0, 0, 0, 1), 1)


def test_without_javascript_a_vote_redirects_back_with_303(app, visitor):
    response = visitor.vote("3", htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{FILM_URL}#rating")
    page = text_of(visitor.client.get(FILM_URL).get_data(as_text=True))
    assert "Your rating: 3 / 5" in page
    assert "Average rating 4 / 5. Vote count: 2" in page
    removed = visitor.remove(htmx=False)
    assert removed.status_code == 303
    assert tallies(app) == (1, (0, 0, 0, 0, 1), 1)


def test_own_vote_is_marked_and_histogram_counts_each_star(visitor):
    html = visitor.vote("4").get_data(as_text=True)
    assert re.search(
        r'value="4" id="rate-4"\s+class="star-button is-mine" aria-current="true"', html
    )
    assert "Rate 4 out of 5 (your rating)" in html
    histogram = text_of(html[html.index("<table") :])
    assert "5 stars 1 (50%)" in histogram
    assert "4 stars 1 (50%)" in histogram
    assert "1 star 0 (0%)" in histogram


def test_each_star_is_a_labelled_submit_button(client):
    html = client.get(RATING_URL).get_data(as_text=True)
    for n in range(1, 6):
        assert f'type="submit" name="stars" value="{n}"' in html
        assert f"Rate {n} out of 5" in html
    assert 'method="post"' in html and 'data-hx-post="/films/the-way-back/rating"' in html


def test_visitors_are_counted_separately(app, new_visitor):
    for stars in ("1", "2", "3"):
        new_visitor().vote(stars)
    assert tallies(app) == (4, (1, 1, 1, 0, 1), 4)


@pytest.mark.parametrize(
    "stars",
    ["", "0", "6", "-1", "2.5", "abc", " 3", "3 ", "05", "+3", "٣", "3\x00", None, ["3", "4"]],
)
def test_bad_stars_get_422_in_the_block_and_change_nothing(app, visitor, stars):
    before = tallies(app)
    response = visitor.vote(stars)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="rating"')
    assert "Choose a rating from 1 to 5 stars." in html
    assert tallies(app) == before


def test_bad_stars_without_javascript_show_the_page_with_the_error(app, visitor):
    response = visitor.vote("9", htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html and "Choose a rating from 1 to 5 stars." in block_of(html)


def test_missing_csrf_token_is_400_and_changes_nothing(app, client):
    client.get(FILM_URL)
    before = tallies(app)
    response = client.post(RATING_URL, data={"stars": "4"}, headers=HTMX)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert tallies(app) == before


def test_foreign_csrf_token_is_400(app, visitor, new_visitor):
    other = new_visitor()
    before = tallies(app)
    response = other.client.post(
        RATING_URL, data={"stars": "4", "csrf_token": visitor.token}, headers=HTMX
    )
    assert response.status_code == 400
    assert tallies(app) == before


def test_unknown_film_is_404(visitor):
    for url in ("/films/nope/rating", "/films/nope/rating/delete"):
        response = visitor.client.post(url, data={"stars": "4", "csrf_token": visitor.token})
        assert response.status_code == 404
    assert visitor.client.get("/films/nope/rating").status_code == 404


def test_oversized_body_is_413_and_changes_nothing(app, visitor):
    before = tallies(app)
    response = visitor.client.post(
        RATING_URL,
        data={"csrf_token": visitor.token, "stars": "4", "padding": "x" * 100_000},
        headers=HTMX,
    )
    assert response.status_code == 413
    assert tallies(app) == before


def test_get_rating_fragment_is_fresh_and_has_no_document(client):
    response = client.get(RATING_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<body" not in html
    # Revalidated on every use (its ETag, tests/test_http_caching.py), so always fresh.
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_first_page_view_gives_one_visitor_id_with_the_csrf_token(client):
    response = client.get(FILM_URL)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    with client.session_transaction() as session:
        assert session["visitor"] and session["csrf_token"]


def test_verify_finds_and_fixes_drift(app, runner, visitor):
    visitor.vote("2")
    assert runner.invoke(args=["ratings", "verify"]).exit_code == 0
    with app.app_context():
        db.session.get(Tally, 1).s2 = 7
        db.session.get(Tally, 1).count = 8
        db.session.commit()
    result = runner.invoke(args=["ratings", "verify"])
    assert result.exit_code == 1 and "drifted" in result.output
    assert runner.invoke(args=["ratings", "verify", "--fix"]).exit_code == 0
    assert tallies(app) == (2, (0, 1, 0, 0, 1), 2)
    assert "ok" in runner.invoke(args=["ratings", "verify"]).output


def test_a_returning_visitor_is_not_sent_the_cookie_again(visitor):
    # The year counts from the first visit; later answers neither re-sign nor resend it.
    assert "Set-Cookie" not in visitor.client.get(RATING_URL).headers
    response = visitor.vote("3")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
