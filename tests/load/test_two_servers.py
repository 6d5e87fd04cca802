"""Two app servers on one database, as behind a load balancer: every vote counts exactly once."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from app import create_app, votes
from app.extensions import db
from app.models import Tally, Vote
from tests.conftest import FILM_URL, HTMX, RATING_URL, csrf_token
from tests.test_ratings import text_of

VISITORS = 300
DEMO = (0, 0, 0, 0, 1)  # the demo film's one 5-star vote


class Browser:
    """One visitor: one cookie jar, used on both servers (they share host, so they share it)."""

    def __init__(self, server: str):
        self.session = requests.Session()
        self.token = csrf_token(self.session.get(server + FILM_URL, timeout=30).text)

    def clone(self) -> "Browser":
        """The same visitor in a second tab: the same cookies, a connection of its own."""
        other = object.__new__(Browser)
        other.session = requests.Session()
        other.session.cookies.update(self.session.cookies)
        other.token = self.token
        return other

    def vote(self, server: str, stars: int | None) -> int:
        url = server + (f"{RATING_URL}/delete" if stars is None else RATING_URL)
        data = {"csrf_token": self.token, **({} if stars is None else {"stars": str(stars)})}
        return self.session.post(url, data=data, headers=HTMX, timeout=30).status_code


class Ledger:
    """What the visitors sent and what the servers acknowledged, counted across threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = self.acknowledged = 0
        self.statuses: dict[int, int] = {}

    def record(self, status: int) -> None:
        with self.lock:
            self.sent += 1
            self.acknowledged += status == 200
            self.statuses[status] = self.statuses.get(status, 0) + 1


def visit(servers: list[str], ledger: Ledger, seed: int) -> int | None:
    """One visitor's votes, changes and removals spread over both servers; the final vote."""
    rng = random.Random(seed)
    browser = Browser(rng.choice(servers))
    stars = rng.randint(1, 5)
    if seed % 10 == 0:
        # A double click that the load balancer sent to both servers at the same moment.
        with ThreadPoolExecutor(2) as tabs:
            clicks = [
                tabs.submit(b.vote, s, stars)
                for b, s in zip((browser, browser.clone()), servers, strict=True)
            ]
            for click in clicks:
                ledger.record(click.result())
    else:
        ledger.record(browser.vote(rng.choice(servers), stars))
    for _ in range(rng.randint(0, 3)):
        stars = None if rng.random() < 0.15 else rng.randint(1, 5)
        ledger.record(browser.vote(rng.choice(servers), stars))
    return stars


@pytest.mark.slow
def test_two_servers_count_every_vote_exactly_once(serve, site_database):
    env = {"DATABASE_URL": site_database, "WEB_CONCURRENCY": "2"}
    servers = [serve(env).url, serve(env).url]
    ledger = Ledger()
    with ThreadPoolExecutor(12) as pool:
        finals = list(pool.map(lambda seed: visit(servers, ledger, seed), range(VISITORS)))

    expected = [DEMO[i] + sum(1 for f in finals if f == i + 1) for i in range(5)]
    app = create_app({"SECRET_KEY": "check", "SQLALCHEMY_DATABASE_URI": site_database})
    with app.app_context():
        per_star, count = db.session.get(Tally, 1).per_star, db.session.get(Tally, 1).count
        counted = db.session.scalar(db.select(db.func.count()).select_from(Vote))
        drifts = votes.verify()
        db.engine.dispose()
    print(
        f"\ntwo servers: {VISITORS} visitors, {ledger.sent} votes sent, "
        f"{ledger.acknowledged} acknowledged, {counted - 1} counted "
        f"(expected {sum(expected) - 1}); statuses {ledger.statuses}"
    )
    assert ledger.statuses == {200: ledger.sent}
    assert list(per_star) == expected and count == counted == sum(expected)
    assert drifts == []
    for server in servers:
        block = text_of(requests.get(server + RATING_URL, timeout=30).text)
        assert f"Vote count: {sum(expected)}" in block
