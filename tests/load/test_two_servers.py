"""Two app servers on one database and one Redis, as behind a load balancer: every vote counts
exactly once, and a visitor's rate limit holds across both servers."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.load.helpers import DEMO_VOTE, Browser, assert_tallies_exact

pytestmark = pytest.mark.slow

VISITORS = 300
REDIS = "redis://127.0.0.1:6379/0"


class Visitor:
    """One browser (one cookie jar) that the load balancer sends to either server."""

    def __init__(self, servers, rng: random.Random):
        self.rng = rng
        first = Browser(rng.choice(servers))
        first.view()
        self.tabs = [
            first if url == first.url else Browser(url, first.session, first.token)
            for url in servers
        ]

    def vote(self, stars: int | None) -> int:
        return self.rng.choice(self.tabs).vote(stars).status_code

    def double_click(self, stars: int) -> None:
        """The same vote sent to both servers at the same moment, each on its own connection."""
        a, b = self.tabs
        with ThreadPoolExecutor(2) as clicks:
            for click in [clicks.submit(a.vote, stars), clicks.submit(b.vote, stars, a.clone())]:
                click.result()

    def attempts(self) -> list[tuple[int | None, bool]]:
        return [attempt for tab in self.tabs for attempt in tab.attempts]


def visit(servers, seed: int, voted: dict) -> Visitor:
    """A first vote (one in ten a double click), then up to three changes or a removal."""
    visitor = Visitor(servers, random.Random(seed))
    stars = visitor.rng.randint(1, 5)
    if seed % 10 == 0:
        visitor.double_click(stars)
    else:
        visitor.vote(stars)
    for _ in range(visitor.rng.randint(0, 3)):
        stars = None if visitor.rng.random() < 0.15 else visitor.rng.randint(1, 5)
        visitor.vote(stars)
    voted[seed] = stars
    return visitor


def test_two_servers_count_every_vote_once_and_share_one_rate_limit(gunicorn_server):
    env = {
        "RATELIMIT_STORAGE_URI": REDIS,
        # Every test visitor comes from 127.0.0.1: the loose per-address flood limit is not
        # what this test is about; the per-visitor limit (10 a minute) is.
        "RATELIMIT_VOTES_ADDRESS": "100000/minute",
    }
    first = gunicorn_server(workers=2, **env)
    second = gunicorn_server(workers=2, database=first.database, **env)
    servers = [first.url, second.url]

    voted: dict[int, int | None] = {}
    with ThreadPoolExecutor(12) as pool:
        visitors = list(pool.map(lambda seed: visit(servers, seed, voted), range(VISITORS)))
    attempts = [attempt for visitor in visitors for attempt in visitor.attempts()]
    sent, acknowledged = len(attempts), sum(ok for _, ok in attempts)
    finals = [stars for stars in voted.values() if stars is not None]
    print(
        f"\nTWO SERVERS: {VISITORS} visitors, {sent} votes sent, {acknowledged} acknowledged,"
        f" {first.tally()[0] - 1} counted (+1 demo vote); {len(finals)} visitors hold a vote"
    )
    assert acknowledged == sent
    assert_tallies_exact(first, [*finals, DEMO_VOTE])

    # One visitor, alternating between the servers: 10 votes a minute in all, not per server.
    limited = Visitor(servers, random.Random(-1))
    statuses = [limited.tabs[n % 2].vote(n % 5 + 1).status_code for n in range(14)]
    print(f"RATE LIMIT across two servers: 14 votes sent alternately, {statuses}")
    assert statuses == [200] * 10 + [429] * 4
    # The refused votes changed nothing: the tenth (n = 9, 5 stars) is this visitor's vote.
    assert_tallies_exact(second, [*finals, 5, DEMO_VOTE])
