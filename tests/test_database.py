"""The database layer on SQLite and PostgreSQL alike: which one the suite runs on, the pool."""

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
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
