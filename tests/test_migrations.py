"""The migrations build exactly the schema the models describe, and can be undone."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.core.cli import init_migrations
from app.extensions import db


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_models_schema_and_downgrade_removes_it(database_url):
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    init_migrations(app)
    with app.app_context():
        flask_migrate.upgrade()
        assert schema_differences() == []
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        flask_migrate.upgrade()
        assert schema_differences() == []
        db.engine.dispose()
