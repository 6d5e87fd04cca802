"""Backups of SQLite, and moving a site's data to another database (export, import)."""

import json
import sqlite3

from app import create_app
from app.extensions import db
from app.models import Comment, Film, Redirect, Tally, Vote
from tests.databases import prepare
from tests.helpers import FILM_URL, Visitor, block_of, text_of


def site(url, demo=True):
    """An app on the database at url: migrated the operator's way, with the demo film or none."""
    prepare(url, demo=demo)
    return create_app(
        {"TESTING": True, "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "m.t"}
    )


def votes_of(app):
    with app.app_context():
        tally = db.session.get(Tally, 1)
        visitors = db.session.execute(db.select(Vote.visitor, Vote.stars).order_by(Vote.id)).all()
        return tally.count, tally.per_star, visitors


def close(*apps):
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_backup_copies_the_live_sqlite_database(tmp_path):
    app = site(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    for stars in ("2", "4", "4"):
        Visitor(app.test_client()).vote(stars)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count, s2, s4, s5 FROM tallies").fetchone() == (4, 1, 2, 1)
    assert copy.execute("SELECT count(*) FROM votes").fetchone() == (4,)
    copy.close()
    again = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert again.exit_code == 1 and "exists" in again.output
    close(app)


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    # No connection is made: the command knows the database kind from its URL.
    app = create_app(
        {"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1/x"}
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not (tmp_path / "copy").exists()


def test_export_import_round_trip_from_sqlite(tmp_path, database_url):
    source = site(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    visitors = [Visitor(source.test_client()) for _ in range(6)]
    for visitor, stars in zip(visitors, "123453", strict=True):
        visitor.vote(stars)
    visitors[0].vote("5")
    visitors[1].remove()
    with source.app_context():
        for name, status in (("Ann", Comment.APPROVED), ("Bob", Comment.PENDING)):
            db.session.add(
                Comment(film_id=1, name=name, body=f"{name} sé <b>", visitor="v", status=status)
            )
        db.session.commit()
    exported = tmp_path / "site.jsonl"
    result = source.test_cli_runner().invoke(args=["export", str(exported)])
    assert result.exit_code == 0, result.output
    assert "1 films" in result.output and "6 votes" in result.output
    assert "2 comments" in result.output

    # The target is the database the suite runs on: PostgreSQL in CI's second run.
    target = site(database_url, demo=False)
    result = target.test_cli_runner().invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "ok: every tally matches its votes" in result.output
    assert votes_of(target) == votes_of(source)
    assert votes_of(target)[:2] == (6, (0, 0, 2, 1, 3))
    page = target.test_client().get(FILM_URL).get_data(as_text=True)
    assert "Average rating 4.2 / 5. Vote count: 6" in text_of(block_of(page))
    assert "Ann sé &lt;b&gt;" in page and "Bob sé" not in page  # the pending one stays held
    # The search text is made anew by the import: the film is found by its title's words.
    found = target.test_client().get("/search?q=way+back").get_data(as_text=True)
    assert FILM_URL in found

    # Exported again from the target, the data is the same file, byte for byte.
    again = tmp_path / "again.jsonl"
    assert target.test_cli_runner().invoke(args=["export", str(again)]).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()

    # New rows get new ids after the imported ones: the next vote is simply counted.
    assert Visitor(target.test_client()).vote("1").status_code == 200
    assert votes_of(target)[:2] == (7, (1, 0, 2, 1, 3))
    close(source, target)


def test_import_refuses_a_database_that_has_data(app, runner, tmp_path):
    exported = tmp_path / "site.jsonl"
    assert runner.invoke(args=["export", str(exported)]).exit_code == 0
    result = runner.invoke(args=["import", str(exported)])
    assert result.exit_code == 1 and "already has films" in result.output
    assert runner.invoke(args=["export", str(exported)]).output.endswith(
        "exists; name a new file\n"
    )


def test_import_of_a_bad_file_names_the_line_and_changes_nothing(tmp_path, database_url):
    source = site(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    exported = tmp_path / "site.jsonl"
    assert source.test_cli_runner().invoke(args=["export", str(exported)]).exit_code == 0
    lines = exported.read_text().splitlines()
    target = site(database_url, demo=False)
    runner = target.test_cli_runner()
    cases = {
        "not json": ("\n".join(["{", *lines[1:]]), "line 1 is not a marquee-export header"),
        "bad row": ("\n".join([*lines, "[1]"]), f"line {len(lines) + 1} is not a row"),
        "unknown table": (
            "\n".join([*lines, '{"table": "sign_in_failures", "row": {}}']),
            f"line {len(lines) + 1}: unknown table 'sign_in_failures'",
        ),
        "orphan vote": (
            "\n".join([lines[0], lines[-1]]),
            "rows break the schema's rules",
        ),
    }
    for name, (text, message) in cases.items():
        bad = tmp_path / f"{name}.jsonl"
        bad.write_text(text + "\n")
        result = runner.invoke(args=["import", str(bad)])
        assert result.exit_code == 1 and message in result.output, (name, result.output)
    with target.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
    close(source, target)


def test_an_export_keeps_the_reviews_author_score_and_redirects(tmp_path, database_url):
    source = site(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    made = source.test_cli_runner().invoke(
        args=["users", "create", "ann@example.com", "--name", "Ann", "--password-stdin"],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    with source.app_context():
        film = db.session.get(Film, 1)
        film.author_id, film.score_halves, film.verdict = 1, 9, "Worth it."
        db.session.add(Redirect(old_path="/?p=42", film_id=1))
        db.session.commit()
    exported = tmp_path / "site.jsonl"
    assert source.test_cli_runner().invoke(args=["export", str(exported)]).exit_code == 0
    target = site(database_url, demo=False)
    result = target.test_cli_runner().invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    client = target.test_client()
    page = client.get(FILM_URL).get_data(as_text=True)
    assert "By Ann" in text_of(page) and "Our verdict ★★★★½" in text_of(page)
    assert client.get("/?p=42").location.endswith(FILM_URL)
    close(source, target)


def test_an_older_export_folds_the_films_article_into_the_body(tmp_path, database_url):
    film = {
        "id": 1,
        "slug": "old",
        "title": "Old",
        "year": 2000,
        "published_on": "2024-01-01",
        "is_published": True,
        "lead": "First.",
        "reception": "",
        "plot": "Then *this*.",
        "awards": "",
        "legacy": "",
        "country": "",
        "languages": "",
        "updated_at": "2024-01-01T00:00:00",
    }
    lines = [
        {"format": "marquee-export", "version": 3, "tables": ["films"]},
        {"table": "films", "row": film},
        {
            "table": "tallies",
            "row": {"film_id": 1, "count": 0, **dict.fromkeys(Tally.STAR_COLUMNS, 0)},
        },
    ]
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    target = site(database_url, demo=False)
    result = target.test_cli_runner().invoke(args=["import", str(old)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        assert db.session.get(Film, 1).body == "First.\n\n## Plot\n\nThen \\*this\\*."
    close(target)
