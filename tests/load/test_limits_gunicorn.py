"""Rate limits through a real gunicorn with 4 workers counting in the machine's Redis: one limit
across all workers, a spoofed X-Forwarded-For changes nothing, and refused votes change
nothing."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.load.helpers import DEMO_VOTE, Browser, assert_tallies_exact

pytestmark = pytest.mark.slow

REDIS = "redis://127.0.0.1:6379/0"


def test_with_redis_a_visitor_gets_10_votes_a_minute_across_4_workers(gunicorn_server):
    server = gunicorn_server(workers=4, RATELIMIT_STORAGE_URI=REDIS)
    browser, other = Browser(server.url), Browser(server.url)
    browser.view()
    other.view()
    statuses = []
    for n in range(30):
        response = browser.session.post(
            server.url + "/films/the-way-back/rating",
            data={"csrf_token": browser.token, "stars": str(n % 5 + 1)},
            # A new address in every request, as a client hoping to look like many would send.
            headers={"HX-Request": "true", "X-Forwarded-For": f"10.1.{n}.1"},
            timeout=60,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert "Wait a minute, then try again." in response.text
            assert int(response.headers["Retry-After"]) > 0
    print(f"\nLIMITS (Redis, 4 workers): 30 votes sent, {statuses.count(200)} acknowledged")
    assert statuses == [200] * 10 + [429] * 20
    # The tenth acknowledged vote (n = 9) was 5 stars; the twenty refused ones changed nothing.
    # Another visitor from the same address still gets through.
    assert other.vote(2).status_code == 200
    assert_tallies_exact(server, [5, 2, DEMO_VOTE])
    assert requests.get(server.url + "/healthz", timeout=30).status_code == 200


def test_failed_sign_ins_are_limited_across_2_workers_without_redis(gunicorn_server):
    """The sign-in limit is counted in the database, so the in-memory storage's count per worker
    does not let 2 workers take twice the stated 5 failures a minute from one address."""
    server = gunicorn_server(workers=2)

    def wrong_password(n: int) -> int:
        session = requests.Session()
        page = session.get(server.url + "/admin/sign-in", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = session.post(
            server.url + "/admin/sign-in",
            data={"csrf_token": token, "email": "owner@example.com", "password": f"guess {n}"},
            timeout=60,
        )
        return response.status_code

    # Ten at once, so that both workers answer some of them.
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(wrong_password, range(20)))
    print(
        f"\nSIGN-IN (2 workers, memory storage): 20 wrong passwords, {statuses.count(401)} checked"
    )
    assert sorted(statuses) == [401] * 5 + [429] * 15
