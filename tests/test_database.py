"""The database layer on SQLite and PostgreSQL alike: which one the suite runs on, the pool."""

import os

import pytest
from sqlalchemy import bindparam, create_engine, select, text, update
from sqlalchemy.pool import NullPool

from app import create_app
from app.core import database
from app.core.database import Prepared, raw_write, read_first
from app.extensions import db
from app.models import Film
from tests.databases import TEST_DATABASE_URL, on_postgresql
from tests.helpers import FILM_URL


def test_suite_runs_on_the_database_it_was_given(app):
    with app.app_context():
        assert db.engine.dialect.name == ("postgresql" if on_postgresql() else "sqlite")
        if on_postgresql():
            # Each test has a schema of its own, so that tests never see each other's rows.
            assert db.session.scalar(text("SELECT current_schema()")).startswith("t_")


def test_a_pooled_connection_that_died_is_replaced_unseen(app, client):
    """pool_pre_ping: a connection the database dropped (a restart, say) costs a retry, not a
    503 or a 500."""
    with app.app_context(), db.engine.connect() as connection:
        dbapi_connection = connection.connection.driver_connection
        pid = (
            connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            if on_postgresql()
            else None
        )
    # The connection is back in the pool; now the database ends it from its side.
    if on_postgresql():
        admin = create_engine(TEST_DATABASE_URL, poolclass=NullPool)
        with admin.connect() as connection:
            assert connection.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
            ).scalar()
        admin.dispose()
    else:
        dbapi_connection.close()
    assert client.get("/healthz").status_code == 200
    assert client.get(FILM_URL).status_code == 200


def test_healthz_is_503_when_postgresql_does_not_answer():
    # Port 1 refuses at once: as a stopped database server would.
    broken = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://marquee@127.0.0.1:1/x"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "down"}


_TITLE = Prepared(select(Film.title).where(Film.id == bindparam("film")))


def _retitle(title: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Film).where(Film.id == 1).values(title=title))


def test_a_prepared_read_sees_the_latest_commit_of_any_connection(app):
    """On SQLite the prepared statements keep a connection a thread, out of the pool: between
    transactions it is in autocommit, so it holds no snapshot that a commit elsewhere misses."""
    with app.app_context():
        assert read_first(_TITLE, {"film": 1}) == ("The Way Back",)
        _retitle("Committed elsewhere")
        assert read_first(_TITLE, {"film": 1}) == ("Committed elsewhere",)


def test_a_failed_write_transaction_leaves_nothing_open_or_locked(app):
    with app.app_context():
        with pytest.raises(RuntimeError), raw_write() as raw:
            raw.execute(Prepared(update(Film).where(Film.id == 1).values(title="Half done")), {})
            raise RuntimeError("the request failed here")
        assert read_first(_TITLE, {"film": 1}) == ("The Way Back",)
        _retitle("Another writer at once")  # waits 10 s, then fails, if a lock was left held
        assert read_first(_TITLE, {"film": 1}) == ("Another writer at once",)


@pytest.mark.skipif(on_postgresql(), reason="the kept connections are SQLite's")
def test_a_forked_worker_opens_its_own_connection_and_leaves_the_parents_open(app):
    """As gunicorn forks its workers from a master that has read the database (preload)."""
    with app.app_context():
        # The connection the parent keeps (app/core/database.py): the child must not use it.
        with database._raw(db.engine) as raw:
            parents = raw.fairy.dbapi_connection
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (the child reports through the pipe)
            try:
                with database._raw(db.engine) as raw:
                    own = raw.fairy.dbapi_connection is not parents
                answer = b"own" if own and read_first(_TITLE, {"film": 1}) else b"inherited"
                os.write(writer, answer)
            finally:
                os._exit(0)
        os.close(writer)
        assert os.read(reader, 16) == b"own"
        os.waitpid(child, 0)
        os.close(reader)
        # The child exited without closing what it inherited: the parent's still answers.
        assert parents.execute("SELECT title FROM films WHERE id = 1").fetchone()
        assert read_first(_TITLE, {"film": 1}) == ("The Way Back",)
