"""Control characters (NUL among them, which PostgreSQL refuses in text) in what owners and
visitors send: refused with a message by the field, or a URL part matching no route, never an
error page; on both databases. A line end in `next` never reaches the Location header."""

import pytest

from tests.admin.helpers import EMAIL, PASSWORD, Owner, text_of
from tests.admin.test_films_admin import NEW, film
from tests.helpers import csrf_token
from tests.test_replies import replies, reply_url, shown_comment

SLUG_PAGES = [
    "/films/a%00b",
    "/films/a%00b/rating",
    "/people/a%00b",
    "/genres/a%00b",
    "/posters/title-cards/a%00b/0123456789abcdef.svg",
]
ADMIN_PAGES = ["/admin/films/a%00b", "/admin/films/a%00b/votes", "/admin/films/a%0Ab/export"]


@pytest.mark.parametrize("url", SLUG_PAGES)
def test_a_url_part_with_a_control_character_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_an_admin_url_part_with_a_control_character_is_404(owner, url):
    assert owner.get(url).status_code == 404


@pytest.mark.parametrize(
    "field,value,box",
    [
        ("title", "A\x00Film", "title"),
        ("country", "Po\x00land", "country"),
        ("body", "First\x00 paragraph.", "body"),
        ("credits.starring", "Ann\x00 Actor | The Hero", "credits-starring"),
        ("languages", "English, Pol\x1bish", "languages"),
        ("releases", "2021-05-01 Can\x00nes", "releases"),
    ],
)
def test_a_control_character_in_the_film_form_is_refused_by_its_field(
    app, owner, field, value, box
):
    response = owner.post("/admin/new-film", {**NEW, field: value}, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="f-{box}-error">' in html and "holds a control character (U+00" in html
    assert film(app, NEW["slug"]) is None


def test_a_control_character_in_a_film_file_is_refused_naming_the_field(runner, tmp_path):
    path = tmp_path / "nul.toml"
    path.write_text(
        'slug = "nul"\ntitle = "Nul\\u0000Film"\nyear = 2020\npublished = 2024-01-01\n'
        'body = "Text."\n[credits]\ndirector = ["Somebody"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["films", "import", str(path)])
    assert result.exit_code != 0
    assert "field 'title': holds a control character (U+0000)" in result.output


def test_the_admins_title_search_refuses_a_control_character_by_the_box(owner):
    response = owner.get("/admin/films?q=a%00b")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="q-error">Remove the control character (U+0000) from the search.' in html
    assert 'aria-describedby="q-error"' in html and "\x00" not in html


def test_a_control_character_in_the_sign_in_email_is_refused_by_the_field(app, owner_account):
    browser = Owner(app.test_client())
    response = browser.sign_in(email="owner\x00@example.com")
    assert response.status_code == 422
    assert "Remove the control character (U+0000) from the email address." in text_of(response)


def test_a_control_character_in_a_new_owners_email_is_refused(runner):
    result = runner.invoke(
        args=["users", "create", "new\x00@example.com", "--password-stdin"],
        input="a long enough secret\n",
    )
    assert result.exit_code == 1 and "is not an email address" in result.output


@pytest.mark.parametrize(
    "target",
    [
        "/admin/films\r\nSet-Cookie: x=1",
        "/admin/films\nX: y",
        "/admin/films\x00",
        "/admin/films\t",
    ],
)
def test_a_next_page_with_a_line_end_falls_back_to_the_queue(app, owner_account, target):
    browser = Owner(app.test_client())
    page = browser.client.get("/admin/sign-in", query_string={"next": target})
    html = page.get_data(as_text=True)
    assert 'name="next"' not in html  # not carried into the form either
    response = browser.client.post(
        "/admin/sign-in",
        data={"csrf_token": csrf_token(html), "email": EMAIL, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/comments"
    assert "X" not in response.headers and "x=1" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_control_character_on_the_about_page_is_refused_by_its_field(client, owner, field):
    values = {"title": "About", "body": "Words.", field: "Wo\x00rds"}
    response = owner.post("/admin/about", values)
    assert response.status_code == 422
    assert "remove the control character (U+0000)." in response.get_data(as_text=True)
    assert "Wo" not in client.get("/about").get_data(as_text=True).split("<main")[-1]


def test_a_control_character_in_an_owners_reply_is_refused_by_its_box(app, owner):
    sent = {"reply": "An\x00 answer.", "back": "page"}
    response = owner.post(reply_url(shown_comment(app)), sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "\x00" not in html
    assert "Please remove the control character (U+0000) from your reply." in html
    assert replies(app) == []
