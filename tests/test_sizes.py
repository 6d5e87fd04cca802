"""One set of size limits (app/core/sizes.py): the film form saves whatever content.validate()
allows, in any characters, and refuses one character more by its field (never 413); no column
is shorter than what may go in it; the nginx example lets the largest request through."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.core import sizes
from app.models import Comment, Credit, Film, Genre, Page, Person, Release
from tests.admin.test_films_admin import NEW, film

# The widest character a form can send: 4 bytes of UTF-8, each percent-encoded.
WIDE = "🎬"


@pytest.mark.parametrize(
    "column,limit",
    [
        (Film.slug, sizes.SLUG),
        (Film.title, sizes.TITLE),
        (Film.original_title, sizes.TITLE),
        (Film.based_on_title, sizes.TITLE),
        (Film.based_on_author, sizes.TITLE),
        (Film.country, sizes.COUNTRY),
        (Film.languages, sizes.LANGUAGES),
        (Film.verdict, sizes.VERDICT),
        (Credit.name, sizes.NAME),
        (Credit.character, sizes.NAME),
        (Person.name, sizes.NAME),
        (Release.place, sizes.NAME),
        (Genre.name, sizes.GENRE),
        (Comment.name, sizes.COMMENT_NAME),
        (Page.title, sizes.PAGE_TITLE),
    ],
)
def test_no_column_is_shorter_than_what_may_go_in_it(column, limit):
    assert column.type.length >= limit, column


def test_a_review_at_its_longest_saves_and_one_character_more_is_refused_by_its_field(app, owner):
    longest = {**NEW, "body": WIDE * sizes.BODY}
    assert len(longest["body"].encode()) * 3 > 64 * 1024 * 10  # far past the old 64 KB cap
    response = owner.post("/admin/new-film", longest)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert film(app, NEW["slug"])["body"] == longest["body"]
    edited = owner.post(f"/admin/films/{NEW['slug']}", {**longest, "body": WIDE * (sizes.BODY + 1)})
    assert edited.status_code == 422
    assert f"is longer than {sizes.BODY} characters" in edited.get_data(as_text=True)


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("credits.starring", "A" * (sizes.NAME + 1), "Line 1: is longer than 300 characters."),
        ("credits.starring", "Ann | " + "B" * (sizes.NAME + 1), "is longer than 300 characters"),
        ("languages", ", ".join(["Language"] * 40), "are longer than 300 characters together"),
        ("releases", "\n".join(["2020-01-01 Cannes"] * (sizes.RELEASES + 1)), "list at most 100"),
        ("genres", ", ".join(f"Genre {i}" for i in range(sizes.GENRES + 1)), "list at most 20"),
    ],
)
def test_text_longer_than_its_column_is_refused_by_its_field(app, owner, field, value, words):
    response = owner.post("/admin/new-film", {**NEW, field: value}, htmx=True)
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert film(app, NEW["slug"]) is None


def test_the_film_form_at_every_limit_at_once_fits_its_request_size():
    form = {
        **NEW,
        **dict.fromkeys(("title", "original_title", "based_on.title", "based_on.author"), ""),
        "slug": "a" * sizes.SLUG,
        "country": WIDE * sizes.COUNTRY,
        "verdict": WIDE * sizes.VERDICT,
        "body": WIDE * sizes.BODY,
        "credits.starring": "\n".join(
            [f"{WIDE * sizes.NAME} | {WIDE * sizes.NAME}"] * sizes.CREDITS
        ),
        "releases": "\n".join([f"2020-01-01 {WIDE * sizes.NAME}"] * sizes.RELEASES),
    }
    for name in ("title", "original_title", "based_on.title", "based_on.author"):
        form[name] = WIDE * sizes.TITLE
    assert len(urlencode(form)) < sizes.FILM_FORM_BYTES


def test_the_nginx_example_lets_the_largest_request_through():
    deploy = (Path(__file__).parent.parent / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert set(re.findall(r"client_max_body_size (\S+);", deploy)) == {f"{sizes.PROXY_MB}m"}


def test_an_about_page_as_long_as_a_review_saves(client, owner):
    body = WIDE * sizes.BODY
    response = owner.post("/admin/about", {"title": "About", "body": body})
    assert response.status_code == 303
    assert body in client.get("/about").get_data(as_text=True)
    longer = owner.post("/admin/about", {"title": "About", "body": body + WIDE})
    assert longer.status_code == 422 and "at most 100,000 characters" in longer.get_data(
        as_text=True
    )
