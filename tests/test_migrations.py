"""The migrations build exactly the schema the models describe, and can be undone."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_app(tmp_path):
    app = create_app(
        {"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_builds_the_models_schema(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []


def test_downgrade_removes_every_table_and_upgrade_rebuilds_them(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []
