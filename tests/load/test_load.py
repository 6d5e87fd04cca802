"""Many visitors at once, and double clicks, against a real gunicorn with 4 workers on SQLite.

These measure integrity, not rate limits, so the servers run with RATELIMIT_ENABLED=false:
with limits on, a load from one address would rightly be refused (tests/reliability/).
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.load.helpers import DEMO_VOTE, Browser, InFlight, assert_tallies_exact, block_words

pytestmark = pytest.mark.slow

VISITORS = 240
CONNECTIONS = 24


def test_240_visitors_vote_and_change_their_votes_at_24_connections(gunicorn_server):
    server = gunicorn_server(workers=4, RATELIMIT_ENABLED="false")
    in_flight = InFlight()
    statuses = Counter()

    def visit(i: int) -> Browser:
        browser = Browser(server.url)
        with in_flight:
            statuses[browser.view().status_code] += 1
        first, second = i % 5 + 1, (i * 3 + 1) % 5 + 1
        for stars in (first, second if second != first else first % 5 + 1):
            with in_flight:
                statuses[browser.vote(stars).status_code] += 1
        return browser

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        browsers = list(pool.map(visit, range(VISITORS)))

    sent = sum(len(b.attempts) for b in browsers)
    acknowledged = sum(ok for b in browsers for _, ok in b.attempts)
    print(
        f"\nLOAD: {VISITORS} visitors, {sent} votes sent, {acknowledged} acknowledged,"
        f" {server.tally()[0] - 1} counted (+1 demo vote); at most {in_flight.most} requests"
        f" in flight; statuses {dict(statuses)}"
    )
    assert set(statuses) == {200}
    assert sent == acknowledged == 2 * VISITORS
    assert in_flight.most >= 20
    finals = {b.visitor: b.attempts[-1][0] for b in browsers}
    assert len(finals) == VISITORS
    votes = server.votes_by_visitor()
    assert {visitor: votes[visitor] for visitor in finals} == finals
    assert len(votes) == VISITORS + 1
    assert_tallies_exact(server, [*finals.values(), DEMO_VOTE])


def test_forty_simultaneous_first_votes_from_one_visitor_count_once(gunicorn_server):
    server = gunicorn_server(workers=4, RATELIMIT_ENABLED="false")
    clicks = 40
    rounds = 5
    expected = [DEMO_VOTE]
    for _ in range(rounds):
        browser = Browser(server.url)
        browser.view()
        # Each click on a connection of its own, all released at once; none voted before.
        sessions = [browser.clone() for _ in range(clicks)]
        start = threading.Barrier(clicks)

        def click(n: int, browser=browser, sessions=sessions, start=start):
            start.wait()
            return browser.vote(n % 5 + 1, session=sessions[n]).status_code

        with ThreadPoolExecutor(clicks) as pool:
            statuses = list(pool.map(click, range(clicks)))
        assert statuses == [200] * clicks
        votes = server.votes_by_visitor()
        assert votes[browser.visitor] in range(1, 6)
        expected.append(votes[browser.visitor])
        assert len(votes) == len(expected)
        assert f"Your rating: {expected[-1]} / 5" in block_words(server, browser.session)
    print(
        f"\nDOUBLE CLICKS: {rounds} visitors x {clicks} simultaneous first votes:"
        f" {rounds * clicks} sent, {rounds * clicks} acknowledged, {len(expected) - 1} counted"
    )
    assert_tallies_exact(server, expected)
