"""The migrations build exactly the schema the models describe, and can be undone."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.core.cli import init_migrations
from app.extensions import db
from app.search import schema


def schema_differences() -> list:
    with db.engine.connect() as connection:
        # The full-text index is no model's (app/search/schema.py): the models cannot say it.
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": lambda name, *_: not schema.is_own(name)},
        )
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
