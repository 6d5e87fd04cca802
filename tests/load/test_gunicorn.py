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
