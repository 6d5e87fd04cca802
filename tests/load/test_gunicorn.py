"""gunicorn from gunicorn.conf.py: workers never share the master's database connections."""

import pytest
import requests


@pytest.mark.slow
def test_preloaded_workers_open_their_own_connections(serve, site_database):
    server = serve(
        {"DATABASE_URL": site_database, "WEB_CONCURRENCY": "2"},
        wsgi="tests.load.preloaded_wsgi:app",
        args=("--preload",),
    )
    answers = [requests.get(f"{server.url}/_opened_by", timeout=10).json() for _ in range(20)]
    assert answers and all(a["opened_by"] == a["worker"] for a in answers), answers
    assert server.process.pid not in {a["worker"] for a in answers}
