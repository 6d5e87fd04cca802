"""kill -9 in the middle of a voting run: one worker, then the whole server. Every vote that got
a 2xx answer must be in the database, which must be intact and agree with its tallies.

Integrity, not rate limits, is measured here: the servers run with RATELIMIT_ENABLED=false.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.load.helpers import DEMO_VOTE, Browser, assert_tallies_exact

pytestmark = pytest.mark.slow

VISITORS = 200
CONNECTIONS = 20
KILL_AFTER = 150  # acknowledged votes before the fault


def voting_run(server, fault) -> list[Browser]:
    """VISITORS visitors each vote and change their vote; `fault` runs once KILL_AFTER votes
    have been acknowledged. A vote whose connection breaks is not retried."""
    acknowledged = threading.Semaphore(0)
    browsers = [Browser(server.url) for _ in range(VISITORS)]

    def visit(i: int) -> None:
        browser = browsers[i]
        try:
            browser.view()
        except requests.RequestException:
            return
        for stars in (i % 5 + 1, (i + 2) % 5 + 1):
            try:
                if browser.vote(stars).ok:
                    acknowledged.release()
            except requests.RequestException:
                pass

    def inject():
        for _ in range(KILL_AFTER):
            acknowledged.acquire()
        fault()

    injector = threading.Thread(target=inject, daemon=True)
    injector.start()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(visit, range(VISITORS)))
    injector.join(timeout=120)
    assert not injector.is_alive(), "the run ended before the fault was injected"
    return browsers


def assert_every_acknowledged_vote_kept(server, browsers, label) -> None:
    votes = server.votes_by_visitor()
    voted = [b for b in browsers if b.attempts]
    sent = sum(len(b.attempts) for b in voted)
    acked = sum(ok for b in voted for _, ok in b.attempts)
    for browser in voted:
        assert votes.get(browser.visitor) in browser.possible_votes(), browser.attempts
    print(
        f"\nFAULT {label}: {sent} votes sent, {acked} acknowledged, {sent - acked} lost in"
        f" transit; {len(votes) - 1} visitors' votes in the database (+1 demo)"
    )
    assert_tallies_exact(
        server, [*(votes[b.visitor] for b in voted if b.visitor in votes), DEMO_VOTE]
    )
    assert len(votes) == 1 + sum(b.visitor in votes for b in voted)


def test_kill_9_of_one_worker_mid_run_loses_no_acknowledged_vote(gunicorn_server):
    server = gunicorn_server(workers=4, RATELIMIT_ENABLED="false")
    killed = []
    browsers = voting_run(server, lambda: killed.append(server.kill_worker()))
    assert killed and killed[0] not in server.worker_pids()
    # The master replaced the worker, and the server kept answering after the kill.
    assert len(server.worker_pids()) == 4
    assert requests.get(server.url + "/healthz", timeout=30).status_code == 200
    assert_every_acknowledged_vote_kept(server, browsers, f"kill -9 worker {killed[0]}")


def test_kill_9_of_the_whole_server_mid_run_then_restart(gunicorn_server):
    server = gunicorn_server(workers=4, RATELIMIT_ENABLED="false")

    integrity_after_crash = []

    def crash_and_restart():
        server.kill_all()
        # The database as the crash left it, before any new process opens it.
        integrity_after_crash.append(server.integrity())
        server.start()

    browsers = voting_run(server, crash_and_restart)
    assert integrity_after_crash == ["ok"]
    assert_every_acknowledged_vote_kept(server, browsers, "kill -9 master and workers")
