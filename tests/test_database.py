"""The database layer on SQLite and PostgreSQL alike: which one the suite runs on, migrations."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db
from tests.databases import on_postgresql


def test_suite_runs_on_the_database_it_was_given(app):
    with app.app_context():
        assert db.engine.dialect.name == ("postgresql" if on_postgresql() else "sqlite")
        if on_postgresql():
            # Each test has a schema of its own, so that tests never see each other's rows.
            assert db.session.scalar(text("SELECT current_schema()")).startswith("t_")


def test_migrations_build_exactly_the_models_schema(database_url):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert {"films", "votes", "tallies", "alembic_version"} <= set(
            inspect(db.engine).get_table_names()
        )
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        db.engine.dispose()
