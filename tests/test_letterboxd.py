"""`flask letterboxd import` and `export`: Letterboxd's reviews.csv into draft reviews signed by
the owner, films already here matched by title and year and left alone, a bad row refused with
its number and nothing changed, nothing twice; and the owner's reviews out in Letterboxd's import
columns, which read back in as the same titles, years, scores and reviews."""

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.films import content
from app.models import Film, Redirect
from app.search.text import slug
from tests.admin.helpers import PASSWORD
from tests.databases import fresh_database_url

REVIEWS = Path(__file__).parent / "fixtures" / "letterboxd" / "reviews.csv"
HEADER = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
AMELIE_BODY = (
    'Paris, as *nobody* lives in it: "too sweet", some say, and **they are wrong**.\n\n'
    "Second viewing, 10/10\\\nand a line break\\\n"
    'and another, with commas, "quotes" and 5\\*5 stars.'
)


def run(runner, *args):
    return runner.invoke(args=["letterboxd", *map(str, args)])


def films(app) -> dict[tuple[str, int | None], Film]:
    with app.app_context():
        found = db.session.scalars(select(Film).order_by(Film.id)).all()
        for film in found:
            _ = film.author
        db.session.expunge_all()
        return {(film.title, film.year): film for film in found}


def snapshot(app):
    """Every film's row as it stands, to show that something changed nothing."""
    return {
        key: (f.slug, f.body, f.score_halves, f.is_published, f.updated_at)
        for key, f in films(app).items()
    }


def a_file(tmp_path, *rows, header=HEADER):
    path = tmp_path / "reviews.csv"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_each_film_not_here_becomes_a_draft_signed_by_the_owner(app, runner, owner_account):
    before = films(app)[("The Way Back", 2010)]
    result = run(runner, "import", REVIEWS)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "new draft: row 3: Amélie (2001) as /films/amelie",
        "new draft: row 4: Człowiek z marmuru (1977) as /films/czlowiek-z-marmuru",
        f"new draft: row 5: 千と千尋の神隠し (2001) as /films/{slug('千と千尋の神隠し')}",
        "new draft: row 6: The Way Back (2020) as /films/the-way-back-2020",
        "already here, left as it is: row 2: The Way Back (2010) is /films/the-way-back",
        "4 new drafts, 1 already here, 0 repeated",
    ]
    found = films(app)
    amelie = found[("Amélie", 2001)]
    assert (amelie.slug, amelie.score_halves, amelie.is_published) == ("amelie", 10, False)
    assert amelie.body == AMELIE_BODY
    assert amelie.published_on == date(2024, 8, 1)  # the Watched Date
    assert amelie.author.email == owner_account.casefold()
    marble = found[("Człowiek z marmuru", 1977)]
    assert marble.score_halves is None and marble.body.startswith("No score: Wajda's")
    spirited = found[("千と千尋の神隠し", 2001)]
    assert spirited.score_halves == 8 and spirited.body == ""
    assert spirited.slug.startswith("n-")
    remake = found[("The Way Back", 2020)]
    assert remake.published_on == date(2024, 10, 5)  # no Watched Date: the day it was logged
    weir = found[("The Way Back", 2010)]
    assert (weir.body, weir.score_halves, weir.updated_at, weir.author_id) == (
        before.body,
        before.score_halves,
        before.updated_at,
        before.author_id,
    )
    with app.app_context():
        drafts = db.session.scalars(select(Film.title).where(Film.status_is("draft"))).all()
        assert len(drafts) == 4


def test_the_drafts_show_in_the_owners_preview(app, runner, owner):
    assert run(runner, "import", REVIEWS).exit_code == 0
    page = owner.get("/admin/films/amelie/preview")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<em>nobody</em>" in html and "<strong>they are wrong</strong>" in html
    assert "5*5 stars" in html
    assert owner.client.get("/films/amelie").status_code == 404  # a draft: not public


def test_titles_match_whatever_their_case_and_accents(app, runner, owner_account, tmp_path):
    with app.app_context():
        film_file = content.validate(
            {
                "slug": "amelie",
                "title": "AMELIE",
                "year": 2001,
                "published": date(2020, 1, 1),
                "body": "Ours.",
            }
        )
        content.write(film_file)
        db.session.commit()
    before = snapshot(app)
    path = a_file(tmp_path, "2024-08-02,Amélie,2001,https://boxd.it/1,5,,Yes!,,2024-08-01")
    result = run(runner, "import", path)
    assert result.exit_code == 0, result.output
    assert "already here, left as it is: row 2: Amélie (2001) is /films/amelie" in result.output
    assert snapshot(app) == before


def test_a_new_draft_never_takes_another_films_old_address(app, runner, owner_account):
    with app.app_context():
        weir = db.session.scalar(select(Film.id).where(Film.slug == "the-way-back"))
        db.session.add(Redirect(old_path="/films/amelie", film_id=weir))
        db.session.commit()
    result = run(runner, "import", REVIEWS)
    assert result.exit_code == 0, result.output
    assert "new draft: row 3: Amélie (2001) as /films/amelie-2001" in result.output
    with app.app_context():
        kept = db.session.scalar(
            select(Redirect.film_id).where(Redirect.old_path == "/films/amelie")
        )
        assert kept == weir


def test_a_second_run_makes_nothing(app, runner, owner_account):
    assert run(runner, "import", REVIEWS).exit_code == 0
    before = snapshot(app)
    again = run(runner, "import", REVIEWS)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "0 new drafts, 5 already here, 0 repeated"
    assert snapshot(app) == before


def test_a_film_twice_in_the_file_is_made_once(app, runner, owner_account, tmp_path):
    path = a_file(
        tmp_path,
        "2024-01-01,Ida,2013,,4,,First look.,,2024-01-01",
        "2024-06-01,IDA,2013,,5,Yes,Second look.,,2024-06-01",
    )
    result = run(runner, "import", path)
    assert result.exit_code == 0, result.output
    assert "again in the file, skipped: row 3: IDA (2013), as row 2" in result.output
    assert films(app)[("Ida", 2013)].body == "First look."


def test_a_dry_run_says_what_it_would_make_and_changes_nothing(app, runner, owner_account):
    before = snapshot(app)
    result = run(runner, "import", REVIEWS, "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "dry run: nothing was changed; an import would make:"
    assert lines[-1] == "4 new drafts, 1 already here, 0 repeated"
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            ["2024-01-01,Ida,2013,,4,,,,"],
            "Date,Name,Letterboxd URI,Rating\n",
            "reviews.csv: no column Year (its columns: Date, Name, Letterboxd URI, Rating)",
        ),
        (
            ["2024-01-01,Ida,2013,,4,,,,", "2024-01-02,Ida 2,2014,,4.3,,,,"],
            HEADER,
            "reviews.csv row 3: Rating must be 0.5 to 5 in half stars, such as 4 or 4.5",
        ),
        (
            ["2024-01-01,Ida,2013,,4,,,,", "2024-01-02,Cold War,20l8,,4,,,,"],
            HEADER,
            "reviews.csv row 3: Year '20l8' is not a year such as 2010",
        ),
        (
            ["2024-01-01,Ida,1500,,4,,,,"],
            HEADER,
            "reviews.csv row 2: Year is not a plausible film year",
        ),
        (["2024-01-01,Ida,,,4,,,,"], HEADER, "reviews.csv row 2: Year is missing"),
        (["2024-01-01,,2013,,4,,,,"], HEADER, "reviews.csv row 2: Name is missing"),
        (["2024-01-01,Ida,2013,,four,,,,"], HEADER, "reviews.csv row 2: Rating 'four' is not"),
        (
            ["2024-01-01,Ida,2013,,4,,,,2024-13-01"],
            HEADER,
            "reviews.csv row 2: Watched Date '2024-13-01' is not a date such as 2024-07-20",
        ),
        (
            ["1 March 2024,Ida,2013,,4,,,,"],
            HEADER,
            "reviews.csv row 2: Date '1 March 2024' is not a date such as 2024-07-20",
        ),
        (
            [f"2024-01-01,{'A' * 301},2013,,4,,,,"],
            HEADER,
            "reviews.csv row 2: Name is longer than 300 characters",
        ),
        (
            ['2024-01-01,Ida,2013,,4,,"' + "x" * 100_001 + '",,'],
            HEADER,
            "reviews.csv row 2: Review is longer than 100000 characters",
        ),
        (
            ["2024-01-01,Ida,2013,,4,,,,,extra"],
            HEADER,
            "reviews.csv row 2: more values than the header has columns",
        ),
    ],
)
def test_a_bad_file_is_refused_by_its_row_and_changes_nothing(
    app, runner, owner_account, tmp_path, rows, header, message
):
    before = snapshot(app)
    result = run(runner, "import", a_file(tmp_path, *rows, header=header))
    assert result.exit_code == 1
    assert message in result.output and "nothing was changed" in result.output
    assert snapshot(app) == before


def test_a_file_that_is_not_utf8_is_refused(app, runner, owner_account, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_bytes(HEADER.encode() + "2024-01-01,Amélie,2001,,4,,,,\n".encode("latin-1"))
    result = run(runner, "import", path)
    assert result.exit_code == 1 and "not UTF-8 text" in result.output


@pytest.mark.parametrize(
    ("header", "row", "day"),
    [
        ("Date,Name,Year,Letterboxd URI,Rating\n", "2024-01-01,Ida,2013,https://boxd.it/x,3.5", 1),
        (
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n",
            "2024-01-03,Ida,2013,https://boxd.it/x,3.5,Yes,polish,2024-01-02",
            2,
        ),
    ],
    ids=["ratings.csv", "diary.csv"],
)
def test_ratings_and_diary_files_are_read_too(
    app, runner, owner_account, tmp_path, header, row, day
):
    result = run(runner, "import", a_file(tmp_path, row, header=header))
    assert result.exit_code == 0, result.output
    ida = films(app)[("Ida", 2013)]
    assert (ida.score_halves, ida.body, ida.published_on) == (7, "", date(2024, 1, day))


def second_owner(runner, email="critic@example.com"):
    result = runner.invoke(
        args=["users", "create", email, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


def test_with_two_owners_the_reviews_name_theirs(app, runner, owner_account):
    second_owner(runner)
    result = run(runner, "import", REVIEWS)
    assert result.exit_code == 1
    assert "name one with --owner (critic@example.com, owner@example.com)" in result.output
    assert run(runner, "import", REVIEWS, "--owner", "nobody@example.com").exit_code == 1
    result = run(runner, "import", REVIEWS, "--owner", "Critic@Example.com")
    assert result.exit_code == 0, result.output
    assert films(app)[("Amélie", 2001)].author.email == "critic@example.com"


def test_without_an_owner_nothing_is_imported(app, runner):
    before = snapshot(app)
    result = run(runner, "import", REVIEWS)
    assert result.exit_code == 1 and "flask users create" in result.output
    assert snapshot(app) == before


def read_export(path):
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_the_export_has_letterboxds_import_columns(app, runner, owner_account, tmp_path):
    assert run(runner, "import", REVIEWS).exit_code == 0
    out = tmp_path / "letterboxd.csv"
    result = run(runner, "export", out)
    assert result.exit_code == 0, result.output
    with app.app_context():
        reviewed = db.session.scalar(
            select(func.count()).where((Film.score_halves.is_not(None)) | (Film.body != ""))
        )
    assert result.output == f"{reviewed} reviews written to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "Title,Year,Rating,WatchedDate,Review"
    )
    rows = {(row["Title"], row["Year"]): row for row in read_export(out)}
    assert len(rows) == reviewed
    amelie = rows[("Amélie", "2001")]
    assert (amelie["Rating"], amelie["WatchedDate"]) == ("5", "2024-08-01")
    assert amelie["Review"] == (
        'Paris, as <i>nobody</i> lives in it: "too sweet", some say, and <b>they are wrong</b>.'
        "\n\nSecond viewing, 10/10\nand a line break\n"
        'and another, with commas, "quotes" and 5*5 stars.'
    )
    assert rows[("Człowiek z marmuru", "1977")]["Rating"] == ""
    assert rows[("千と千尋の神隠し", "2001")]["Review"] == ""
    assert run(runner, "export", out).exit_code == 1  # never over an existing file


def test_the_export_names_the_films_without_a_year(app, runner, tmp_path):
    with app.app_context():
        db.session.scalar(select(Film).where(Film.slug == "the-way-back")).year = None
        db.session.commit()
    out = tmp_path / "letterboxd.csv"
    result = run(runner, "export", out)
    assert result.exit_code == 0, result.output
    assert "note: 1 of them have no year" in result.output
    assert read_export(out)[0]["Year"] == ""


def test_an_export_reads_back_into_an_empty_site_unchanged(app, runner, owner_account, tmp_path):
    assert run(runner, "import", REVIEWS).exit_code == 0
    with app.app_context():
        weir = db.session.scalar(select(Film).where(Film.slug == "the-way-back"))
        weir.body = (
            "## Walking\n\n- Siberia\n- Mongolia\n\n> Freedom [is](https://x.org/a_b) *far*."
        )
        db.session.commit()
    out = tmp_path / "letterboxd.csv"
    assert run(runner, "export", out).exit_code == 0
    wanted = {
        key: (f.title, f.year, f.score_halves, f.body, f.published_on)
        for key, f in films(app).items()
        if f.score_halves is not None or f.body
    }
    with fresh_database_url(tmp_path, "empty") as url:
        empty = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url})
        with empty.app_context():
            db.create_all()
        second = empty.test_cli_runner()
        second_owner(second)
        result = run(second, "import", out)
        assert result.exit_code == 0, result.output
        back = {
            key: (f.title, f.year, f.score_halves, f.body, f.published_on)
            for key, f in films(empty).items()
        }
        with empty.app_context():
            db.session.remove()
            db.engine.dispose()
    assert back == wanted
