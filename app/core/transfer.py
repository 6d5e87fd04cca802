"""Moving a site's data between databases (SQLite to PostgreSQL, say) as JSON Lines.

The file's first line names the format; every other line is one row: {"table": ..., "row": {...}}.
Tables come parents first, rows in key order, so the same data always exports to the same file.
"""

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Table, exists, insert, inspect, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from ..models import (
    Comment,
    Credit,
    Film,
    FilmGenre,
    Genre,
    Page,
    Person,
    Redirect,
    Release,
    Tally,
    User,
    Vote,
)
from . import article
from .database import reset_id_sequences, snapshot, write_transaction

FORMAT = "marquee-export"
VERSION = 4
# Columns renamed since an older version: version 1 called the votes' visitor id `voter`;
# version 2 had no people or genres (its credits then link to no person page); up to version 3
# a film's article was five fixed parts, not one Markdown body, and owners were not exported.
_RENAMED = {1: {"votes": {"voter": "visitor"}}, 2: {}, 3: {}}
_ARTICLE_BEFORE = 4
# What a site's data is, in the order an import inserts it: a new table is one more entry.
# What is made from the data (films' search text) is not in the file: an import makes it anew
# (derives()).
# Owners come first: a review and a reply name their author.
TABLES: tuple[Table, ...] = tuple(
    model.__table__
    for model in (
        User,
        Film,
        Person,
        Credit,
        Genre,
        FilmGenre,
        Release,
        Tally,
        Vote,
        Comment,
        Redirect,
        Page,
    )
)
_BATCH = 5000


class TransferError(ValueError):
    """The file or the target database is not fit for an import; nothing was changed."""


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _decoders(table: Table) -> dict[str, Callable[[Any], Any]]:
    """Per column, how to turn its JSON value back into the column's Python value."""
    decoders = {}
    for column in table.columns:
        kind = column.type.python_type
        if kind is datetime:
            decoders[column.name] = _or_none(datetime.fromisoformat)
        elif kind is date:
            decoders[column.name] = _or_none(date.fromisoformat)
        else:
            decoders[column.name] = lambda value: value
    return decoders


def _or_none(decode: Callable[[str], Any]) -> Callable[[Any], Any]:
    # A column that may be empty (an owner never mailed: users.held_mail_at) exports null.
    return lambda value: None if value is None else decode(value)


def export(path: Path) -> dict[str, int]:
    """Write every row of every table to a new file; returns the number of rows per table."""
    counts = dict.fromkeys((table.name for table in TABLES), 0)
    try:
        with snapshot() as session, path.open("x", encoding="utf-8") as out:
            header = {"format": FORMAT, "version": VERSION, "tables": list(counts)}
            out.write(json.dumps(header) + "\n")
            for table in TABLES:
                rows = session.execute(select(table).order_by(*table.primary_key.columns))
                for row in rows.mappings():
                    line = {"table": table.name, "row": {k: _encode(v) for k, v in row.items()}}
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    counts[table.name] += 1
    except FileExistsError:
        raise TransferError(f"{path} exists; name a new file") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return counts


def _rows(path: Path) -> Iterator[tuple[int, str, dict]]:
    with path.open(encoding="utf-8") as lines:
        try:
            header = json.loads(next(lines, "null"))
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise TransferError(f"{path}: line 1 is not a {FORMAT} header")
        version = header.get("version")
        if version != VERSION and version not in _RENAMED:
            raise TransferError(f"{path}: version {version}, this site reads 1 to {VERSION}")
        renamed = _RENAMED.get(version, {})
        for number, line in enumerate(lines, start=2):
            try:
                item = json.loads(line)
                table, row = item["table"], item["row"]
                if names := renamed.get(table):
                    row = {names.get(key, key): value for key, value in row.items()}
                if table == "films" and version < _ARTICLE_BEFORE:
                    row = _with_body(row)
                yield number, table, row
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                raise TransferError(f"{path}: line {number} is not a row") from None


def _with_body(row: dict) -> dict:
    """An older export's film, its article's parts folded into the body as migration 0010 did."""
    parts = {part: row.pop(part, None) for part in article.PARTS}
    return {**row, "body": article.fold(parts)}


def _check_target(session) -> None:
    missing = [t.name for t in TABLES if not inspect(session.connection()).has_table(t.name)]
    if missing:
        raise TransferError(
            f"the database has no table {', '.join(missing)}: run `flask --app wsgi db upgrade`"
        )
    for table in TABLES:
        if session.scalar(select(exists().select_from(table))):
            raise TransferError(
                f"the database already has {table.name}: import into an empty, migrated database"
            )


_DERIVED = "marquee.transfer.derived"


def derives(app: Flask, rebuild: Callable[[Session], None]) -> None:
    """Have every import run `rebuild(session)` in its transaction, after the rows are in: for
    what a feature makes from the data (the search index), which an export leaves out."""
    app.extensions.setdefault(_DERIVED, []).append(rebuild)


def import_(path: Path) -> dict[str, int]:
    """Load an export into an empty database, all or nothing; returns the rows per table."""
    by_name = {table.name: table for table in TABLES}
    decoders = {table.name: _decoders(table) for table in TABLES}
    counts = dict.fromkeys(by_name, 0)
    with write_transaction() as session:
        _check_target(session)
        batch: list[dict] = []
        batch_table: str | None = None

        def flush() -> None:
            if batch:
                session.execute(insert(by_name[batch_table]), batch)
                counts[batch_table] += len(batch)
                batch.clear()

        try:
            for number, name, row in _rows(path):
                if name not in by_name:
                    raise TransferError(f"{path}: line {number}: unknown table {name!r}")
                if not isinstance(row, dict) or not row.keys() <= decoders[name].keys():
                    raise TransferError(f"{path}: line {number}: columns do not fit {name}")
                if name != batch_table or len(batch) >= _BATCH:
                    flush()
                    batch_table = name
                try:
                    batch.append({k: decoders[name][k](v) for k, v in row.items()})
                except (TypeError, ValueError):
                    raise TransferError(f"{path}: line {number}: a value does not fit") from None
            flush()
        except (IntegrityError, DataError) as error:
            raise TransferError(f"{path}: rows break the schema's rules: {error.orig}") from None
        reset_id_sequences(session, TABLES)
        for rebuild in current_app.extensions.get(_DERIVED, ()):
            rebuild(session)
    return counts
