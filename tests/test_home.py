"""The home page: newest films in pages, the Top rated list, and numbers equal to each page's."""

import base64
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.films import cards
from app.models import Film, Tally
from tests.helpers import FILM_URL, add_films, block_of, card_slugs, next_link, text_of


def test_home_shows_the_demo_film_card_with_its_pages_numbers(client):
    html = client.get("/").get_data(as_text=True)
    assert card_slugs(html, "newest") == ["the-way-back"]
    start = html.index('<li class="card">')
    card = text_of(html[start : html.index("</li>", start)])
    assert "The Way Back (2010)" in card
    assert "Average rating 5 / 5. Vote count: 1" in card
    assert 'class="stars-average"' in html


def all_pages(client, url):
    """Every page's card slugs, following "Older films" from url to the end."""
    pages = []
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(card_slugs(html, "newest"))
        url = next_link(html)
    return pages


def test_cards_are_newest_first_and_paged_by_key_with_older_films_links(app, client):
    slugs = add_films(app, [(0, 0, 0, 0, 0)] * 30)  # all newer than the demo film
    newest_first = [*reversed(slugs), "the-way-back"]
    first = client.get("/").get_data(as_text=True)
    assert card_slugs(first, "newest") == newest_first[:24]
    after = next_link(first)
    assert re.fullmatch(r"/\?after=[A-Za-z0-9_=-]+", after)
    assert "Newest films" not in first
    second = client.get(after).get_data(as_text=True)
    assert card_slugs(second, "newest") == newest_first[24:]
    assert next_link(second) is None
    assert '<a href="/">Newest films</a>' in second
    assert f'<link rel="canonical" href="http://marquee.test{after}">' in second
    assert 'id="top-title"' not in second


def test_pages_by_key_show_every_film_once_when_many_share_a_day(app, client):
    # 100 films on 3 days: the cursor's id decides between films of one day.
    add_films(app, [(0, 0, 0, 0, 0)] * 100, start=date.today() - timedelta(days=3))
    pages = all_pages(client, "/")
    assert [len(page) for page in pages] == [24, 24, 24, 24, 5]
    shown = [slug for page in pages for slug in page]
    with app.app_context():
        expected = db.session.scalars(
            select(Film.slug).order_by(Film.published_on.desc(), Film.id.desc())
        ).all()
    assert shown == expected


def test_home_json_ld_is_an_item_list_of_the_pages_films_in_order(app, client):
    add_films(app, [(0, 0, 0, 0, 0)] * 3)
    html = client.get("/").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "ItemList"
    urls = [item["url"] for item in data["itemListElement"]]
    assert urls == [f"http://marquee.test/films/{slug}" for slug in card_slugs(html, "newest")]
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3, 4]


def test_an_old_numbered_page_redirects_to_the_same_films_by_key(app, client):
    add_films(app, [(0, 0, 0, 0, 0)] * 30)
    assert client.get("/?page=1").headers["Location"] == "/"
    response = client.get("/?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == next_link(client.get("/").get_data(as_text=True))


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "\uff12", "99999999999999999999", "3"])
def test_a_page_that_is_not_one_of_ours_is_404(app, client, page):
    add_films(app, [(0, 0, 0, 0, 0)] * 30)
    assert client.get(f"/?page={page}").status_code == 404


@pytest.mark.parametrize(
    "after",
    ["", "abc", "!!", "MjAyNC0wNy0yMA", "eC55", "\u00e9", "MjAyNC0wNy0yMC45OTk5OTk5OTk5OQ=="],
)
def test_a_cursor_we_did_not_make_is_404(client, after):
    assert client.get("/", query_string={"after": after}).status_code == 404


def test_a_cursor_past_the_last_film_is_404(client):
    assert client.get("/?after=" + keyset_cursor("1900-01-01", 1)).status_code == 404


def keyset_cursor(day, film_id):
    return base64.urlsafe_b64encode(f"{day}.{film_id}".encode()).decode()


def test_the_last_of_10000_films_is_found_by_key_in_the_index(app, client):
    """The last page seeks to its cursor in ix_films_newest: no OFFSET, no sort of the films."""
    add_films(app, [(0, 0, 0, 0, 0)] * 10_000)
    with app.app_context():
        engine = db.engine
        last_but = db.session.execute(
            select(Film.published_on, Film.id)
            .order_by(Film.published_on.desc(), Film.id.desc())
            .offset(10_001 - 17 - 1)
            .limit(1)
        ).one()
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        url = "/?after=" + keyset_cursor(last_but.published_on.isoformat(), last_but.id)
        html = client.get(url).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(card_slugs(html, "newest")) == 17
    assert next_link(html) is None
    # The page's films, walked from the cursor: their versions, then (rendered anew) their cards.
    walks = [s for s in statements if "tallies" in s[0] and "LIMIT" in s[0]]
    assert len(walks) == 2
    for statement, parameters in walks:
        assert_walks_the_index(engine, statement, parameters)


def assert_walks_the_index(engine, statement, parameters):
    if isinstance(parameters, list):
        parameters = tuple(parameters)  # as app/core/database.Raw passes them to the driver
    # SQLAlchemy writes SQLite's LIMIT with an OFFSET, which is 0 here.
    assert "OFFSET" not in statement or parameters[-1] == 0
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("ANALYZE films")  # as autovacuum would have by now
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            assert re.search(r"Index (Only )?Scan Backward using ix_films_newest", str(plan))
            assert "Sort" not in str(plan)
            return
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    steps = " | ".join(row[-1] for row in plan)
    assert "USING INDEX ix_films_newest" in steps or "USING COVERING INDEX ix_films_newest" in steps
    assert "TEMP B-TREE" not in steps, steps


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
    assert "<title>Marquee: film reviews: our verdict and yours</title>" in html
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


def test_a_list_kept_is_read_as_versions_and_keeps_the_version_it_shows(app, client, monkeypatch):
    """A kept home page costs its films' versions, no card text; a vote counted between that
    read and the cards' read is in the page, and the page's tag names it: the next request with
    that tag is a 304, not a page rendered again."""
    client.get("/")
    statements = []
    with app.app_context():
        engine = db.engine

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert statements and not [s for s in statements if "substr" in s.lower()]

    read_cards = cards.Listing.cards

    def vote_then_read(*args, **kwargs):
        monkeypatch.setattr(cards.Listing, "cards", read_cards)
        with engine.begin() as connection:
            connection.execute(
                Tally.__table__.update().values(
                    count=Tally.count + 1, s1=Tally.s1 + 1, revision=Tally.revision + 1
                )
            )
        return read_cards(*args, **kwargs)

    monkeypatch.setattr(cards.Listing, "cards", vote_then_read)
    # A film whose card is not yet kept, so the page is rendered with the vote read in.
    add_films(app, [(0, 0, 0, 0, 0)])
    first = client.get("/")
    assert "Vote count: 2" in text_of(first.get_data(as_text=True))
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
