"""The migrations build exactly the schema the models describe, and can be undone."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app import create_app
from app.core import markdown
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


def test_0010_folds_the_article_into_the_body_and_keeps_every_row_of_the_film(database_url):
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    init_migrations(app)
    with app.app_context():
        flask_migrate.upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO films (id, slug, title, year, published_on, is_published, lead,"
                    " reception, plot, awards, legacy, country, languages, updated_at) VALUES"
                    " (1, 'f', 'F', 2010, '2024-07-20', true, :lead, :reception, '', '',"
                    " :legacy, '', '', '2024-07-20 00:00:00')"
                ),
                {
                    "lead": "First *line*\nwrapped.\n\n1999. A year, # not a heading.",
                    "reception": "Liked.",
                    "legacy": "- Not a list.",
                },
            )
            connection.execute(
                text(
                    "INSERT INTO credits (film_id, role, name, position)"
                    " VALUES (1, 'director', 'D', 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO tallies (film_id, count, s1, s2, s3, s4, s5)"
                    " VALUES (1, 0, 0, 0, 0, 0, 0)"
                )
            )
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            body = connection.execute(text("SELECT body FROM films")).scalar_one()
            kept = [
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("credits", "tallies")
            ]
        assert kept == [1, 1]
        assert body == (
            "First \\*line\\* wrapped.\n\n1999\\. A year, # not a heading.\n\n"
            "## Reception\n\nLiked.\n\n## Legacy\n\n\\- Not a list."
        )
        html = str(markdown.render(body))
        assert "<em>" not in html and "<li>" not in html
        assert "First *line* wrapped." in html and "<h2>Legacy</h2>" in html
        flask_migrate.downgrade(revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT lead FROM films")).scalar_one() == body
            assert connection.execute(text("SELECT count(*) FROM credits")).scalar_one() == 1
        db.engine.dispose()
