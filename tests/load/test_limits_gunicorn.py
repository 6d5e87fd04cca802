"""Rate limits through a real gunicorn with 4 workers counting in the machine's Redis: one limit
across all workers, a spoofed X-Forwarded-For changes nothing, and refused votes change
nothing."""

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
