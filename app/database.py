"""Database engine set-up, and the one place that knows SQLite from PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db

_WRITE = "marquee_write"


def configure_engine(engine: Engine) -> None:
    """Run SQLite properly: WAL, a busy timeout, and write transactions that lock at BEGIN."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling would BEGIN lazily and DEFERRED; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that reads and then writes cannot wait for the lock (SQLite
        # answers "database is locked" at once), so writers take it up front and wait there.
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[Session]:
    """One write transaction on the request's session: committed on success, else rolled back."""
    session = db.session
    # End whatever read transaction the request has open, so that BEGIN below is the first.
    session.commit()
    session.connection(execution_options={_WRITE: True})
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"
