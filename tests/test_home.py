"""The home page: newest films in pages, the Top rated list, and numbers equal to each page's."""

import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Film, Tally
from tests.helpers import FILM_URL, add_films, block_of, card_slugs, text_of


def test_home_shows_the_demo_film_card_with_its_pages_numbers(client):
    html = client.get("/").get_data(as_text=True)
    assert card_slugs(html, "newest") == ["the-way-back"]
    card = text_of(html[html.index('<li class="card">') : html.index("</li>")])
    assert "The Way Back (2010)" in card
    assert "Average rating 5 / 5. Vote count: 1" in card
    assert 'class="stars-average"' in html


def test_cards_are_newest_first_and_paginated_with_prev_and_next(app, client):
    slugs = add_films(app, [(0, 0, 0, 0, 0)] * 30)  # all newer than the demo film
    newest_first = [*reversed(slugs), "the-way-back"]
    first = client.get("/").get_data(as_text=True)
    assert card_slugs(first, "newest") == newest_first[:24]
    assert '<link rel="next" href="/?page=2">' in first
    assert 'rel="prev"' not in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert card_slugs(second, "newest") == newest_first[24:]
    assert '<link rel="prev" href="/">' in second
    assert 'rel="next"' not in second
    assert '<link rel="canonical" href="http://marquee.test/?page=2">' in second
    assert 'id="top-title"' not in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "\uff12", "99999999999999999999", "3"])
def test_a_page_that_is_not_one_of_ours_is_404(app, client, page):
    add_films(app, [(0, 0, 0, 0, 0)] * 30)
    assert client.get(f"/?page={page}").status_code == 404


def test_a_page_of_10000_films_reads_one_page_through_the_index(app, client):
    """The newest-first query picks the page's films in the index alone, then joins them."""
    add_films(app, [(0, 0, 0, 0, 0)] * 10_000)
    with app.app_context():
        engine = db.engine
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        html = client.get("/?page=300").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(card_slugs(html, "newest")) == 24
    [(statement, parameters)] = [s for s in statements if "OFFSET" in s[0]]
    assert "LIMIT" in statement
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # PostgreSQL's planner may rightly sort 10,000 small rows in memory instead; what
            # must hold is that the index can serve this order when the table is large.
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("ANALYZE films")  # as autovacuum would have by now
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            assert re.search(r"Index (Only )?Scan Backward using ix_films_newest", str(plan))
            return
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    steps = " | ".join(row[-1] for row in plan)
    assert "USING COVERING INDEX ix_films_newest" in steps
    # Only the page's own 24 rows may be sorted (at the top level, parent 0), never the films.
    assert all(row[1] == 0 for row in plan if "TEMP B-TREE" in row[-1]), steps


def test_top_rated_puts_hundreds_of_votes_averaging_4_6_above_one_5_star_vote(app, client):
    many, one, middling = add_films(app, [(0, 0, 0, 160, 240), (0, 0, 0, 0, 1), (0, 0, 30, 30, 0)])
    html = client.get("/").get_data(as_text=True)
    top = card_slugs(html, "top")
    # The demo film also has a single 5-star vote; it ranks with the other single vote by id.
    assert top == [many, "the-way-back", one, middling]
    assert text_of(html).count("Average rating 4.6 / 5. Vote count: 400") == 2  # newest and top


def test_top_rated_leaves_out_films_without_votes_and_unpublished_ones(app, client):
    silent, hidden = add_films(app, [(0, 0, 0, 0, 0), (0, 0, 0, 0, 50)])
    with app.app_context():
        db.session.execute(db.update(Film).where(Film.slug == hidden).values(is_published=False))
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert card_slugs(html, "top") == ["the-way-back"]
    assert silent in card_slugs(html, "newest")
    assert hidden not in html


def test_top_rated_min_votes_is_configurable(app, client):
    few_perfect, many_good, _ = add_films(
        app, [(0, 0, 0, 0, 20), (0, 0, 0, 150, 150), (300, 0, 0, 0, 0)]
    )
    app.config["TOP_RATED_MIN_VOTES"] = 1
    assert card_slugs(client.get("/").get_data(as_text=True), "top")[0] == few_perfect
    app.config["TOP_RATED_MIN_VOTES"] = 100
    assert card_slugs(client.get("/").get_data(as_text=True), "top")[0] == many_good


def test_card_numbers_equal_the_film_page_after_votes(app, new_visitor, client):
    for stars in ("4", "4", "4"):
        new_visitor().vote(stars)
    page = text_of(block_of(client.get(FILM_URL).get_data(as_text=True)))
    home = text_of(client.get("/").get_data(as_text=True))
    words = "Average rating 4.3 / 5. Vote count: 4"  # 5, 4, 4, 4: 4.25 rounds half up
    assert words in page
    assert home.count(words) == 2


def test_home_head_has_canonical_description_and_social_tags(client):
    html = client.get("/").get_data(as_text=True)
    assert "<title>Marquee: film reviews rated by readers</title>" in html
    assert '<link rel="canonical" href="http://marquee.test/">' in html
    for tag in (
        'name="description"',
        'property="og:title"',
        'property="og:description"',
        'property="og:url" content="http://marquee.test/"',
        'name="twitter:card"',
    ):
        assert tag in html


def test_top_rated_order_is_kept_a_while_but_its_numbers_are_always_current(app, client):
    (better,) = add_films(app, [(0, 0, 0, 0, 100)])
    app.config["TOP_RATED_SECONDS"] = 3600
    assert card_slugs(client.get("/").get_data(as_text=True), "top") == [better, "the-way-back"]
    with app.app_context():
        # 500 more five-star votes for the demo film: it now ranks first, but the order is kept.
        db.session.execute(db.update(Tally).where(Tally.film_id == 1).values(count=501, s5=501))
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert card_slugs(html, "top") == [better, "the-way-back"]
    top = text_of(html[html.index('id="top-title"') :])
    assert "Average rating 5 / 5. Vote count: 501" in top
    app.config["TOP_RATED_SECONDS"] = 0
    assert card_slugs(client.get("/").get_data(as_text=True), "top") == ["the-way-back", better]
