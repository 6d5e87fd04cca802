"""Rate limits: per visitor and per address, refusals that change nothing, and proxy trust."""

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

from app import create_app
from app.extensions import db
from app.films import content
from tests.helpers import FILM_URL, RATING_URL, Visitor, block_of, tallies, text_of
from tests.reliability.helpers import visitor_at

LIMITED = "That was a lot of clicks in a short time. Wait a minute, then try again."


def test_a_burst_of_100_votes_gets_429s_and_the_refused_ones_change_nothing(app, visitor):
    statuses = [visitor.vote(str(n % 5 + 1)).status_code for n in range(100)]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429] * 90
    # The tenth vote (n = 9) was 5 stars; the 90 refused ones, all other values among them,
    # changed nothing.
    assert tallies(app) == (2, (0, 0, 0, 0, 2), 2)


def test_429_in_the_block_for_htmx_with_retry_after(visitor):
    for _ in range(10):
        visitor.vote("4")
    response = visitor.vote("2")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="rating"')
    assert LIMITED in text_of(html)
    assert "Your rating: 4 / 5" in text_of(html)
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_429_on_the_page_without_javascript(visitor):
    for _ in range(10):
        assert visitor.vote("4", htmx=False).status_code == 303
    response = visitor.vote("2", htmx=False)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "<html" in html and LIMITED in text_of(block_of(html))
    assert int(response.headers["Retry-After"]) > 0


def test_removing_a_vote_shares_the_budget_and_a_refused_removal_keeps_the_vote(app, visitor):
    for _ in range(5):
        visitor.vote("3")
        visitor.remove()
    visitor_votes = tallies(app)
    assert visitor.vote("1").status_code == 429
    assert visitor.remove().status_code == 429
    assert tallies(app) == visitor_votes


def test_two_visitors_from_one_address_both_get_through(app):
    first, second = visitor_at(app, "203.0.113.7"), visitor_at(app, "203.0.113.7")
    for _ in range(10):
        assert first.vote("2").status_code == 200
    assert first.vote("3").status_code == 429
    assert second.vote("4").status_code == 200
    assert tallies(app) == (3, (0, 1, 0, 1, 1), 3)


def test_the_address_limit_stops_a_flood_of_fresh_visitors(app):
    app.config["RATELIMIT_VOTES_ADDRESS"] = "5/minute"
    flood = [visitor_at(app, "198.51.100.1").vote("1").status_code for _ in range(8)]
    assert flood == [200] * 5 + [429] * 3
    # Another address is a budget of its own.
    assert visitor_at(app, "198.51.100.2").vote("1").status_code == 200
    assert tallies(app) == (7, (6, 0, 0, 0, 1), 7)


def test_a_spoofed_x_forwarded_for_changes_nothing_by_default(app):
    app.config["RATELIMIT_VOTES_ADDRESS"] = "3/minute"
    statuses = [
        visitor_at(app, "198.51.100.9", X_Forwarded_For=f"10.0.0.{n}").vote("5").status_code
        for n in range(5)
    ]
    assert statuses == [200] * 3 + [429] * 2


def test_with_a_trusted_proxy_the_forwarded_address_counts(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TRUSTED_PROXIES": 1,
            "RATELIMIT_VOTES_ADDRESS": "2/minute",
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    proxy = "127.0.0.1"

    def vote_from(client_address):
        return visitor_at(app, proxy, X_Forwarded_For=client_address).vote("5").status_code

    assert [vote_from("192.0.2.1") for _ in range(3)] == [200, 200, 429]
    # A client may put anything in the header; only the entry the proxy appended is believed.
    assert vote_from("192.0.2.1, 192.0.2.2") == 200
    with app.app_context():
        db.engine.dispose()


def test_limits_come_from_the_settings_on_each_request(app, visitor):
    app.config["RATELIMIT_VOTES_VISITOR"] = "2/minute"
    assert [visitor.vote("3").status_code for _ in range(3)] == [200, 200, 429]
    app.config["RATELIMIT_VOTES_VISITOR"] = "10/minute"
    assert visitor.vote("3").status_code == 200


def test_ratelimit_enabled_false_turns_them_off(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    visitor = Visitor(app.test_client())
    assert {visitor.vote("4").status_code for _ in range(30)} == {200}
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("attempt", [1, 2])
def test_every_app_starts_with_fresh_in_memory_counts(app, visitor, attempt):
    """The suite's per-test apps rely on this: a test never inherits another test's counts."""
    assert [visitor.vote("4").status_code for _ in range(11)] == [200] * 10 + [429]


def test_the_page_view_and_fragment_are_never_limited(client):
    assert {client.get(FILM_URL).status_code for _ in range(40)} == {200}
    assert {client.get(RATING_URL).status_code for _ in range(40)} == {200}


def test_flask_limiter_lists_the_vote_and_comment_limits(app):
    # The `flask` command's own group: Flask-Limiter's CLI is a plugin, which app.cli lacks.
    flask = FlaskGroup(create_app=lambda: app)
    listed = CliRunner().invoke(flask, ["limiter", "limits"])
    assert listed.exit_code == 0, listed.output
    assert "10 per 1 minute" in listed.output and "3 per 1 minute" in listed.output
