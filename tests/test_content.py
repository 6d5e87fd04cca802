"""Films as TOML files: `flask films import`, idempotent by slug, all or nothing."""

from sqlalchemy import select

from app.extensions import db
from app.films import content
from app.models import Film
from tests.helpers import MINIMAL, counts


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_import_is_idempotent(app, runner):
    before = counts(app)
    result = runner.invoke(args=["films", "import", "--demo"])
    assert result.exit_code == 0 and "unchanged" in result.output
    assert counts(app) == before == (1, 22, 1)


def test_import_creates_then_updates_by_slug(app, runner, tmp_path):
    path = write(tmp_path, "a.toml", MINIMAL.format(slug="a-film", title="A Film"))
    assert "created" in runner.invoke(args=["films", "import", str(path)]).output
    path.write_text(MINIMAL.format(slug="a-film", title="A Better Title"), encoding="utf-8")
    assert "updated" in runner.invoke(args=["films", "import", str(path)]).output
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.slug == "a-film"))
        assert film.title == "A Better Title"
        assert film.tally.count == 0
        assert [c.name for c in film.credits] == ["Somebody"]


def test_a_bad_file_names_file_and_field_and_changes_nothing(app, runner, tmp_path):
    good = write(tmp_path, "good.toml", MINIMAL.format(slug="good", title="Good"))
    bad = write(
        tmp_path, "bad.toml", MINIMAL.format(slug="bad", title="Bad").replace("1999", '"x"')
    )
    before = counts(app)
    result = runner.invoke(args=["films", "import", str(good), str(bad)])
    assert result.exit_code != 0
    assert "bad.toml" in result.output and "field 'year'" in result.output
    assert counts(app) == before


def test_errors_name_the_problem(tmp_path):
    cases = {
        "slug": MINIMAL.format(slug="Not A Slug", title="x"),
        "title": MINIMAL.format(slug="ok", title=""),
        "body": MINIMAL.format(slug="ok", title="x").replace('body = "A film."', ""),
        "credits.director[0]": MINIMAL.format(slug="ok", title="x").replace('["Somebody"]', "[3]"),
        "credits.grip": MINIMAL.format(slug="ok", title="x") + 'grip = ["A"]\n',
    }
    for field, text in cases.items():
        path = write(tmp_path, "case.toml", text)
        try:
            content.parse(path)
        except content.FilmFileError as error:
            assert f"field '{field}'" in str(error) and "case.toml" in str(error)
        else:
            raise AssertionError(f"{field} was accepted")


def test_not_toml_and_missing_file(tmp_path):
    for path, words in (
        (write(tmp_path, "broken.toml", "slug = "), "not valid TOML"),
        (tmp_path / "absent.toml", "no such file"),
    ):
        try:
            content.parse(path)
        except content.FilmFileError as error:
            assert words in str(error) and path.name in str(error)
        else:
            raise AssertionError("accepted")


def test_if_empty_imports_nothing_when_films_exist(runner):
    result = runner.invoke(args=["films", "import", "--demo", "--if-empty"])
    assert "nothing imported" in result.output


def test_raw_html_in_the_body_is_left_out(app, client, tmp_path, runner):
    text = MINIMAL.format(slug="x-film", title="X").replace(
        'body = "A film."', 'body = "<b>bold</b> & <script>alert(1)</script>"'
    )
    runner.invoke(args=["films", "import", str(write(tmp_path, "x.toml", text))])
    html = client.get("/films/x-film").get_data(as_text=True)
    review = html[html.index('class="film-text') : html.index('class="film-side"')]
    assert "<p>bold &amp; alert(1)</p>" in review
    assert "<b>" not in review and "<script>alert(1)" not in html
