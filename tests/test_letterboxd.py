"""Letterboxd: its reviews.csv makes a draft per film not yet here, with the owner's score and
review, reports the films already here (by title and year), refuses a bad row with its line and
changes nothing; the owner's reviews go out in the columns Letterboxd's importer reads."""

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Film

REVIEWS = Path(__file__).parent / "fixtures" / "letterboxd" / "reviews.csv"


def films(app):
    with app.app_context():
        return {
            film.slug: (film.title, film.year, film.is_published, film.score_halves, film.body)
            for film in db.session.scalars(select(Film))
        }


def test_each_film_not_here_becomes_a_draft_with_score_and_review(app, runner):
    result = runner.invoke(args=["letterboxd", "import", str(REVIEWS)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "3 new drafts",
        "created: Ida (2013)",
        "created: Amélie (2001)",
        "created: Nosferatu (1922)",
        "already here, left as it is: The Way Back (2010)",
    ]
    found = films(app)
    assert found["ida-2013"] == (
        "Ida",
        2013,
        False,
        9,
        "Anna's face, in black and white.\n\nA second paragraph, with \\*stars\\*.",
    )
    assert found["amelie-2001"][3] is None and found["nosferatu-1922"][3] == 6
    with app.app_context():
        ida = db.session.scalar(select(Film).where(Film.slug == "ida-2013"))
        assert ida.published_on == date(2024, 3, 1)  # the Watched Date
    # The demo film is the owner's own: untouched.
    assert found["the-way-back"][4].startswith("“The Way Back” is an epic survival drama")


def test_a_second_import_adds_nothing(app, runner):
    runner.invoke(args=["letterboxd", "import", str(REVIEWS)])
    result = runner.invoke(args=["letterboxd", "import", str(REVIEWS)])
    assert result.output.splitlines()[0] == "0 new drafts"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Film)) == 4


def test_a_bad_row_is_refused_with_its_line_and_nothing_changes(app, runner, tmp_path):
    bad = tmp_path / "reviews.csv"
    bad.write_text(REVIEWS.read_text().replace(",1922,https://boxd.it/5a1e,3,", ",1922,x,3.3,"))
    result = runner.invoke(args=["letterboxd", "import", str(bad)])
    assert result.exit_code == 1
    assert "line 7: Rating '3.3' is not 0.5 to 5 stars in halves; nothing was changed" in (
        result.output
    )
    assert set(films(app)) == {"the-way-back"}


def test_the_owners_reviews_export_in_letterboxds_import_format(app, runner, tmp_path):
    with app.app_context():
        film = db.session.scalar(select(Film))
        film.score_halves = 7
        db.session.commit()
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["letterboxd", "export", str(out)])
    assert result.exit_code == 0 and "1 reviews written" in result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines(keepends=True)))
    assert [(r["Title"], r["Year"], r["Rating"], r["WatchedDate"]) for r in rows] == [
        ("The Way Back", "2010", "3.5", rows[0]["WatchedDate"])
    ]
    assert rows[0]["Review"].startswith("<p>“The Way Back” is an epic survival drama")
