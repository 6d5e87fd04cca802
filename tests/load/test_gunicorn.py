"""gunicorn from gunicorn.conf.py: workers never share the master's database connections."""

import pytest
import requests

pytestmark = pytest.mark.slow


def test_preloaded_workers_open_their_own_connections(gunicorn_server):
    server = gunicorn_server(
        workers=2, app="tests.load.preloaded_wsgi:app", GUNICORN_CMD_ARGS="--preload"
    )
    answers = [requests.get(f"{server.url}/_opened_by", timeout=30).json() for _ in range(20)]
    assert answers and all(a["opened_by"] == a["worker"] for a in answers), answers
    assert server.process.pid not in {a["worker"] for a in answers}


def test_workers_start_with_the_masters_objects_frozen(gunicorn_server):
    # gunicorn.conf.py's when_ready: the app the master built is never scanned again.
    server = gunicorn_server(workers=1, app="tests.load.preloaded_wsgi:app")
    answer = requests.get(f"{server.url}/_opened_by", timeout=30).json()
    assert answer["frozen"] > 10_000, answer
