"""A fresh, empty database for one test, on the database the suite runs against.

TEST_DATABASE_URL picks it: unset, each test gets an SQLite file in its tmp_path; a
postgresql+psycopg:// URL, each test gets a schema of its own in that database (dropped after),
reached through a URL whose search_path names it, so gunicorn subprocesses can use it too.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
from app.films import content

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def on_postgresql() -> bool:
    return TEST_DATABASE_URL.startswith("postgresql")


@contextmanager
def fresh_database_url(tmp_path: Path, name: str = "test") -> Iterator[str]:
    """The URL of an empty database that only this test uses, removed afterwards."""
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex}"
    admin = create_engine(TEST_DATABASE_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def prepare(url: str, demo: bool = True) -> None:
    """Migrate the database at url the operator's way, and load the demo film into it."""
    app = create_app({"SECRET_KEY": "prepare", "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        if demo:
            content.import_files([content.DEMO])
        db.engine.dispose()
