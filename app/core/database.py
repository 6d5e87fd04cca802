"""Database engine set-up, and the one place that knows SQLite from PostgreSQL."""

import fcntl
import hashlib
import os
import threading
import weakref
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Integer, Row, Table, event, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql import Executable

from ..extensions import db

_WRITE = "marquee_write"
_ONE_READ = "marquee_one_read"
_engines: "weakref.WeakSet[Engine]" = weakref.WeakSet()


class _Kept:
    """SQLite: each thread's own connection for the prepared statements, out of the pool."""

    def __init__(self):
        self.local = threading.local()


_kept: "weakref.WeakKeyDictionary[Engine, _Kept]" = weakref.WeakKeyDictionary()
# A forked child's inherited connections, held and never closed: closing one could tidy up
# (checkpoint, delete the WAL) under the parent and its other children, which still use it.
_inherited: list[_Kept] = []


def _forget_kept_in_child() -> None:
    _inherited.extend(_kept.values())
    for engine in list(_kept):
        _kept[engine] = _Kept()


os.register_at_fork(after_in_child=_forget_kept_in_child)


def configure_engine(engine: Engine) -> None:
    """Run SQLite properly: WAL, a busy timeout, and write transactions that lock at BEGIN."""
    _engines.add(engine)
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
        options = connection.get_execution_options()
        if options.get(_ONE_READ):
            return  # One statement is its own transaction: it reads one moment of the file.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE) else "BEGIN")

    # A file's pool; not NullPool (each use connects anew, as asked) nor an in-memory database's
    # one connection (StaticPool), which a kept connection would take away from the rest.
    if isinstance(engine.pool, QueuePool):
        _keep_connections(engine)


def _keep_connections(engine: Engine) -> None:
    """A connection a thread, kept for the prepared statements (see _raw())."""
    _kept[engine] = _Kept()

    @event.listens_for(engine, "engine_disposed")
    def _on_disposed(engine):
        # In the same process (a forked child's were set aside at the fork): closed with it.
        if fairy := getattr(_kept[engine].local, "fairy", None):
            fairy.close()
        _kept[engine] = _Kept()


@contextmanager
def _writers_queue(engine: Engine) -> Iterator[None]:
    """On a SQLite file, writers wait their turn on a file lock next to it, across workers.

    A writer that finds SQLite's lock taken sleeps in its busy handler for 1, 2, 5 ... 100 ms
    between tries, and so misses the moment the lock is free: under load the writers form a
    convoy that idles the machine. A waiter on flock() is woken by the kernel at once. A new
    descriptor per transaction, as flock() does not exclude two threads sharing one.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    fd = os.open(f"{database}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def write_transaction() -> Iterator[Session]:
    """One write transaction on the request's session: committed on success, else rolled back."""
    session = db.session
    # End whatever read transaction the request has open, so that BEGIN below is the first.
    session.commit()
    with _writers_queue(db.engine):
        session.connection(execution_options={_WRITE: True})
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def read(
    statement: Executable, params: dict | None = None, connection: Connection | None = None
) -> Sequence[Row]:
    """Every row of one read: in the transaction of `connection` when given (a write that must
    see what it writes for), else on a plain connection of its own, since for a single query
    the ORM session's bookkeeping, and on SQLite a transaction around it, cost more than it."""
    if connection is not None:
        return connection.execute(statement, params).all()
    with db.engine.connect() as own:
        own.execution_options(**{_ONE_READ: True})
        return own.execute(statement, params).all()


def read_row(
    statement: Executable, params: dict, connection: Connection | None = None
) -> Row | None:
    """The first row of one read (see read())."""
    rows = read(statement, params, connection)
    return rows[0] if rows else None


@contextmanager
def write_connection() -> Iterator[Connection]:
    """One write transaction on a plain connection, for a few prebuilt Core statements: the
    ORM session's bookkeeping costs more than they do. Committed on success, else rolled back."""
    # Connected first: a database that cannot be reached fails here, as any other request does.
    with db.engine.connect() as connection, _writers_queue(db.engine):
        connection.execution_options(**{_WRITE: True})
        with connection.begin():
            yield connection


class Prepared:
    """A Core statement compiled once per dialect, for the few hottest reads and writes (the
    film page's lookup, a vote, the lists' versions), run on a DBAPI connection (see _raw()):
    SQLAlchemy's execution (events, result objects, type processing) costs ten times what
    SQLite takes to run one of them. Parameters get the types' bind processing; rows come back
    as the driver gives them, tuples without result processing (a DateTime column is a string
    on SQLite), unless typed() is asked for."""

    def __init__(self, statement: Executable):
        self.statement = statement
        self._compiled: dict[str, tuple] = {}
        self._results: dict[str, tuple] = {}

    def arguments(self, dialect: Dialect, params: dict) -> tuple[str, list | dict]:
        """The SQL and its parameters, in the form the dialect's driver takes them."""
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            done = self.statement.compile(dialect=dialect)
            names = done.positiontup if done.positional else None
            compiled = (done.string, names, done.construct_params(_check=False))
            compiled += (done._bind_processors,)
            self._compiled[dialect.name] = compiled
        sql, names, defaults, processors = compiled
        values = {**defaults, **params}
        for name, process in processors.items():
            values[name] = process(values[name])
        return sql, values if names is None else [values[name] for name in names]

    def typed(self, dialect: Dialect, fetched: Iterable[tuple]) -> list[tuple]:
        """The driver's rows as SQLAlchemy would give them: columns by name, values of their
        types (a date for a Date column, which SQLite holds as a string)."""
        results = self._results.get(dialect.name)
        if results is None:
            columns = self.statement.selected_columns
            processors = [
                (place, process)
                for place, column in enumerate(columns)
                if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
            ]
            row = namedtuple("Row", columns.keys(), rename=True)
            results = self._results[dialect.name] = (row._make, processors)
        make, processors = results
        rows = []
        for values in fetched:
            if processors:
                values = list(values)
                for place, process in processors:
                    values[place] = process(values[place])
            rows.append(make(values))
        return rows


class Raw:
    """Prepared statements on one DBAPI connection (see _raw()). Its errors are SQLAlchemy's,
    as the error handlers know them (a database that does not answer is a 503); what listens
    to the engine's `before_cursor_execute` (tests counting statements, tracing) hears these
    too, without a Connection."""

    def __init__(self, engine: Engine, fairy):
        self.dialect, self.fairy = engine.dialect, fairy
        self.listeners = engine.dispatch.before_cursor_execute
        self.cursor = fairy.cursor()

    def execute(self, prepared: "Prepared | str", params: dict | None = None):
        if isinstance(prepared, str):
            sql, args = prepared, ()
        else:
            sql, args = prepared.arguments(self.dialect, params)
        for listener in self.listeners:
            listener(None, self.cursor, sql, args, None, False)
        try:
            self.cursor.execute(sql, args)
        except self.dialect.loaded_dbapi.Error as error:
            gone = self.dialect.is_disconnect(error, self.fairy.dbapi_connection, self.cursor)
            if gone:
                self.fairy.invalidate(error)
            raise _sqlalchemy_error(self.dialect, error, sql, args, gone) from error
        return self.cursor

    def first(self, prepared: Prepared, params: dict) -> tuple | None:
        """The first row of the statement's answer, or None."""
        return self.execute(prepared, params).fetchone()


def _sqlalchemy_error(dialect: Dialect, error, sql=None, args=None, gone=False) -> DBAPIError:
    base = dialect.loaded_dbapi.Error
    return DBAPIError.instance(sql, args, error, base, connection_invalidated=gone)


def _checked_out(engine: Engine):
    # Checked out as the pool checks any connection out: pinged first, replaced if it died.
    try:
        return engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as error:
        raise _sqlalchemy_error(engine.dialect, error) from error


@contextmanager
def _raw(engine: Engine) -> Iterator[Raw]:
    # On SQLite a thread keeps one connection: checking one out of the pool and back in (and
    # its rollback) costs more than the statements. It is in autocommit between transactions,
    # so each read still sees the latest commit; a local file does not drop it.
    kept = _kept.get(engine)
    if kept is None:
        fairy = _checked_out(engine)
    elif (fairy := getattr(kept.local, "fairy", None)) is None or not fairy.is_valid:
        fairy = kept.local.fairy = _checked_out(engine)
        fairy.detach()
    raw = Raw(engine, fairy)
    try:
        yield raw
    finally:
        raw.cursor.close()
        if kept is None:
            fairy.close()  # back to the pool, which rolls back whatever is still open
        elif fairy.is_valid and fairy.dbapi_connection.in_transaction:
            fairy.rollback()  # as the pool would: the next user finds no transaction open


def read_first(prepared: Prepared, params: dict) -> tuple | None:
    """The first row of one prepared read: on SQLite a statement of its own (the connection is
    in autocommit), on PostgreSQL in a transaction of its own; either way the latest commit."""
    with _raw(db.engine) as raw:
        return raw.first(prepared, params)


def read_all(prepared: Prepared, params: dict) -> list[tuple]:
    """Every row of one prepared read, as the driver gives them (see read_first())."""
    with _raw(db.engine) as raw:
        return raw.execute(prepared, params).fetchall()


def typed(prepared: Prepared, fetched: Iterable[tuple]) -> list[tuple]:
    """Rows that read_all() gave, as SQLAlchemy would give them (Prepared.typed())."""
    return prepared.typed(db.engine.dialect, fetched)


@contextmanager
def raw_write() -> Iterator[Raw]:
    """One write transaction for prepared statements (see Prepared), with SQLite's writers
    queued and locked at BEGIN as write_connection() does; committed on success, else rolled
    back."""
    engine = db.engine
    with _raw(engine) as raw, _writers_queue(engine):
        if engine.dialect.name == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
        try:
            yield raw
        except BaseException:
            raw.fairy.rollback()
            raise
        raw.fairy.commit()


def one_at_a_time(connection: Connection, name: str) -> None:
    """Until its transaction ends, `connection` is the only writer doing `name` (e.g. counting
    rows before adding one): SQLite's write lock already makes it so; on PostgreSQL, a
    transaction-level advisory lock named by the first 8 bytes of name's SHA-256."""
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def forget_inherited_connections() -> None:
    """In a forked child (a gunicorn worker): drop, without closing, the parent's connections.

    A connection used by two processes mixes their conversations with the database; the child
    opens its own instead, and the parent keeps using its own undisturbed.
    """
    for engine in list(_engines):
        engine.dispose(close=False)


@contextmanager
def snapshot() -> Iterator[Session]:
    """A read-only transaction that sees one moment of the database throughout."""
    session = db.session
    session.commit()
    if is_postgresql():
        # READ COMMITTED takes a new snapshot per statement; votes and tallies must agree.
        session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    # SQLite's deferred BEGIN already reads one snapshot until the transaction ends.
    try:
        yield session
    finally:
        session.rollback()


def reset_id_sequences(session: Session, tables: Iterable[Table]) -> None:
    """After rows were inserted with their ids, make PostgreSQL's next ids follow them."""
    if not is_postgresql():
        return  # SQLite's next rowid is always max(rowid) + 1.
    for table in tables:
        key, *others = table.primary_key.columns
        if others or not isinstance(key.type, Integer):
            continue
        # setval() is strict: for a key without a sequence (tallies.film_id) it does nothing.
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column),"
                f" coalesce((SELECT max({key.name}) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name, "column": key.name},
        )
