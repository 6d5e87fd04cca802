"""Films in the admin: list and search, the form checked as a TOML file is (one schema),
inline errors, saving moves updated_at, export reads back, titles escaped everywhere."""

import re
import tomllib

from sqlalchemy import select

from app.extensions import db
from app.films import content
from app.models import Film
from tests.helpers import FILM_URL, SLUG
from tests.test_home import add_films

NEW = {
    "title": "A New Film",
    "slug": "a-new-film",
    "year": "2021",
    "published": "2024-01-02",
    "is_published": "on",
    "running_time": "95",
    "languages": "English, Polish",
    "body": "First paragraph.\n\nSecond paragraph.",
    "credits.director": "Somebody",
    "credits.starring": "Ann Actor | The Hero\nBob Actor",
    "releases": "2021-05-01 Cannes",
}


def film(app, slug):
    with app.app_context():
        found = db.session.scalar(select(Film).where(Film.slug == slug))
        return found and content.as_data(found) | {"updated_at": found.updated_at}


def test_create_then_edit_a_film_and_see_it_on_the_site(app, owner, client):
    response = owner.post("/admin/new-film", NEW)
    assert response.status_code == 303 and response.location.endswith("/admin/films/a-new-film")
    saved = film(app, "a-new-film")
    assert saved["credits"]["starring"] == [
        {"name": "Ann Actor", "character": "The Hero"},
        "Bob Actor",
    ]
    assert saved["languages"] == ["English", "Polish"] and saved["running_time"] == 95
    assert "A New Film" in client.get("/").get_data(as_text=True)
    page = client.get("/films/a-new-film").get_data(as_text=True)
    assert "Second paragraph." in page and "The Hero" in page
    edited = owner.post("/admin/films/a-new-film", {**NEW, "title": "A Renamed Film"}, htmx=True)
    assert edited.status_code == 200 and edited.headers["HX-Redirect"] == "/admin/films/a-new-film"
    after = film(app, "a-new-film")
    assert after["title"] == "A Renamed Film" and after["updated_at"] > saved["updated_at"]
    assert "A Renamed Film" in client.get("/films/a-new-film").get_data(as_text=True)


def test_the_form_is_checked_by_the_film_file_rules_with_errors_beside_fields(app, owner):
    bad = {**NEW, "slug": "Not A Slug", "year": "1500", "title": "", "credits.starring": "| X"}
    response = owner.post("/admin/new-film", bad, htmx=True)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form method="post"') and "<html" not in html
    for field, words in (
        ("slug", "use lower-case letters, digits and single hyphens"),
        ("year", "is not a plausible film year"),
        ("title", "Title: is missing."),
        ("credits-starring", "Line 1: must be a name"),
    ):
        assert f'id="f-{field}-error">' in html and words in html, field
        assert re.search(rf'aria-describedby="(f-{field}-hint )?f-{field}-error"', html), field
    assert 'aria-invalid="true"' in html
    assert 'value="Not A Slug"' in html  # what was typed is kept
    assert film(app, "not-a-slug") is None
    kinds = owner.post("/admin/new-film", {**NEW, "year": "soon", "releases": "May Cannes"})
    text = kinds.get_data(as_text=True)
    assert kinds.status_code == 422 and "Enter a year such as 2010." in text
    assert "Line 1: start with a date" in text


def test_a_taken_slug_is_refused(app, owner):
    response = owner.post("/admin/new-film", {**NEW, "slug": SLUG})
    assert response.status_code == 422 and "another film has the address" in response.get_data(
        as_text=True
    )


def test_the_same_rules_as_toml_one_schema(tmp_path):
    data = tomllib.loads(content.DEMO.read_text(encoding="utf-8"))
    data["year"] = 1500
    try:
        content.validate(data)
    except content.InvalidFilm as invalid:
        assert invalid.errors == {"year": "is not a plausible film year"}
    else:
        raise AssertionError("accepted")


def test_export_reads_back_as_the_same_film(app, owner, tmp_path, runner):
    response = owner.get(f"/admin/films/{SLUG}/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{SLUG}.toml"'
    path = tmp_path / "exported.toml"
    path.write_bytes(response.data)
    assert content.parse(path).fields == content.parse(content.DEMO).fields
    assert "unchanged" in runner.invoke(args=["films", "import", str(path)]).output


def test_list_search_and_pages(app, owner):
    add_films(app, [(0, 0, 0, 0, 0)] * 60)
    page = owner.get("/admin/films").get_data(as_text=True)
    assert "61 films; page 1 of 2." in page and 'rel="next"' in page
    assert "of 2" in owner.get("/admin/films?page=2").get_data(as_text=True)
    found = owner.get("/admin/films?q=way back").get_data(as_text=True)
    assert "1 film with" in found and "The Way Back" in found
    assert "0 films" in owner.get("/admin/films?q=100%25").get_data(as_text=True)


def test_a_script_title_shows_escaped_in_admin_and_public_pages(app, owner, client):
    title = "<script>alert(1)</script>"
    owner.post("/admin/new-film", {**NEW, "title": title})
    for response in (
        owner.get("/admin/films"),
        owner.get("/admin/films/a-new-film"),
        client.get("/"),
        client.get("/films/a-new-film"),
    ):
        html = response.get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html


def test_unknown_films_are_404(owner):
    for url in ("/admin/films/nowhere", "/admin/films/nowhere/export"):
        assert owner.get(url).status_code == 404
    assert owner.get(FILM_URL.replace("/films/", "/admin/films/")).status_code == 200
