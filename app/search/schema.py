"""The full-text index each database keeps over `film_search`, created with the table.

SQLite: an FTS5 table with `film_search` as its external content, kept in step by triggers, so
any write of a film's search text (the import's, a migration's) updates it in the same
transaction. PostgreSQL: a GIN index over the weighted tsvector of the two columns (titles
weigh more than names), an expression index, so it is never out of step either. Both use
`simple` word splitting without stop words: the text is folded already (text.py).
"""

from sqlalchemy import event
from sqlalchemy.engine import Connection

from ..models import FilmSearch

FTS = "film_search_fts"
GIN_INDEX = "ix_film_search_document"
# The document PostgreSQL searches, written exactly as its index is, so the index serves it.
DOCUMENT = (
    "(setweight(to_tsvector('simple', film_search.title), 'A')"
    " || setweight(to_tsvector('simple', film_search.people), 'B'))"
)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, people, content='film_search',"
    " content_rowid='film_id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON film_search BEGIN"
    f" INSERT INTO {FTS} (rowid, title, people) VALUES (new.film_id, new.title, new.people);"
    " END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON film_search BEGIN"
    f" INSERT INTO {FTS} ({FTS}, rowid, title, people)"
    " VALUES ('delete', old.film_id, old.title, old.people); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON film_search BEGIN"
    f" INSERT INTO {FTS} ({FTS}, rowid, title, people)"
    " VALUES ('delete', old.film_id, old.title, old.people);"
    f" INSERT INTO {FTS} (rowid, title, people) VALUES (new.film_id, new.title, new.people);"
    " END",
    # Whatever film_search held before the index existed (a migration's rows).
    f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')",
)
SQLITE_DROP = tuple(
    f"DROP {kind} IF EXISTS {name}"
    for kind, name in (
        ("TRIGGER", f"{FTS}_insert"),
        ("TRIGGER", f"{FTS}_delete"),
        ("TRIGGER", f"{FTS}_update"),
        ("TABLE", FTS),
    )
)
POSTGRESQL_CREATE = (f"CREATE INDEX {GIN_INDEX} ON film_search USING gin ({DOCUMENT})",)
POSTGRESQL_DROP = (f"DROP INDEX IF EXISTS {GIN_INDEX}",)


def create(connection: Connection) -> None:
    """Make the full-text index over film_search (migration 0007, and create_all in tests)."""
    for statement in POSTGRESQL_CREATE if _postgresql(connection) else SQLITE_CREATE:
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    for statement in POSTGRESQL_DROP if _postgresql(connection) else SQLITE_DROP:
        connection.exec_driver_sql(statement)


def is_own(name: str | None) -> bool:
    """Whether a table or index is this module's, not a model's: the schema comparison of
    tests/test_migrations.py leaves these out, as the models cannot describe them."""
    return name is not None and (name == GIN_INDEX or name.startswith(FTS))


def _postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


# db.create_all() and drop_all() (the tests' databases) make and remove it with the table.
event.listen(
    FilmSearch.__table__, "after_create", lambda _table, connection, **_: create(connection)
)
event.listen(FilmSearch.__table__, "before_drop", lambda _table, connection, **_: drop(connection))
