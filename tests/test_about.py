"""The About page: a line about the site until the owner writes one in the admin, then their
Markdown; the admin's form refuses a missing or overlong title by its field."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Page


def test_before_the_owner_writes_it_the_page_says_what_the_site_is(client):
    html = client.get("/about").text
    assert '<h1 id="page-title">About Marquee</h1>' in html
    assert "Marquee: film reviews: our verdict and yours." in html


def test_the_owner_writes_the_about_page_in_markdown(app, client, owner):
    assert owner.client.get("/admin/about").status_code == 200
    response = owner.post("/admin/about", {"title": "Who writes here", "body": "I *love* films."})
    assert response.status_code == 303 and response.location == "/admin/about"
    html = client.get("/about").text
    assert '<h1 id="page-title">Who writes here</h1>' in html
    assert "<p>I <em>love</em> films.</p>" in html
    owner.post("/admin/about", {"title": "Who writes here", "body": "Changed."})
    assert "Changed." in client.get("/about").text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Page)) == 1


def test_a_bad_about_page_is_refused_by_its_field_and_nothing_changes(app, owner):
    response = owner.post("/admin/about", {"title": "", "body": "Words."})
    assert response.status_code == 422
    assert '<p class="field-error" id="f-title-error">Title: give the page a title.</p>' in (
        response.text
    )
    assert "Words." in response.text  # what was typed stays in the form
    response = owner.post("/admin/about", {"title": "x" * 201, "body": ""})
    assert response.status_code == 422 and "Title: at most 200 characters." in response.text
    response = owner.post("/admin/about", {"title": "About\x00", "body": "Bell\x07"})
    assert response.status_code == 422
    assert "Title: remove the control character (U+0000)." in response.text
    assert "Text: remove the control character (U+0007)." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Page)) == 0


def test_the_about_form_is_for_owners_only(client):
    assert client.get("/admin/about").status_code == 303


def test_the_about_page_is_in_the_export(app, runner, tmp_path):
    with app.app_context():
        db.session.add(Page(slug="about", title="About", body="Words."))
        db.session.commit()
    assert runner.invoke(args=["export", str(tmp_path / "site.jsonl")]).exit_code == 0
    lines = (tmp_path / "site.jsonl").read_text().splitlines()
    assert any('"table": "pages"' in line and '"Words."' in line for line in lines)
