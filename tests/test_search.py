"""Search: films by title, original title and the names credited, case and accents folded, a
word's start enough, best match first; the page, its htmx fragment, and refused queries."""

import re
from datetime import date

import pytest

from app.films import content
from app.search.text import fold, slug, words
from tests.catalog import FILMS, film_file, import_catalog
from tests.helpers import HTMX


@pytest.fixture
def catalog(app, tmp_path):
    import_catalog(app, tmp_path)


def found(client, query, headers=None):
    """The slugs of the films a search finds, in the order shown."""
    response = client.get("/search", query_string={"q": query}, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.findall(r'<h3 class="card-title"><a href="/films/([^"]+)">', response.text)


# Films that match alike (a set): their order is the database's ranking's to choose.
WEIR = {"the-truman-show", "dead-poets-society", "the-way-back"}

# (query, the films found: a list in this order, or a set of equals).
CASES = [
    ("way back", ["the-way-back"]),  # title words
    ("The Way Back", ["the-way-back"]),  # the whole title, stop word included
    ("the", {"the-truman-show", "back-to-the-future", "the-way-back"}),  # no stop word list
    ("of snow", ["smillas-sense-of-snow"]),  # a stop word with a word
    ("amelie", ["amelie"]),  # accent folded in the title
    ("AMÉLIE", ["amelie"]),  # case folded, accent in the query
    ("fabuleux destin", ["amelie"]),  # the original title
    ("poul", ["amelie"]),  # a partial word of the original title
    ("slawomir", ["the-way-back"]),  # ł, which Unicode does not decompose
    ("Sławomir Rawicz", ["the-way-back"]),  # the source book's author, as written
    ("pawel", ["ida"]),  # a director's name without its ł
    ("Paweł Pawlikowski", ["ida"]),  # and with it
    ("froken", ["smillas-sense-of-snow"]),  # ø folded to o
    ("Frøken Smillas", ["smillas-sense-of-snow"]),
    ("weir", WEIR),  # a director of three (the unpublished and the coming film left out)
    ("pet wei", WEIR),  # partial words of a name
    ("tru", ["the-truman-show"]),  # a partial title word
    ("eastwood", ["unforgiven"]),  # director, producer and actor of one film: found once
    ("zemeckis future", ["back-to-the-future"]),  # a name and a title word together
    ("weir truman", ["the-truman-show"]),  # every word must match
    ("Michael J. Fox", ["back-to-the-future"]),  # punctuation in a name
    ("robin", ["robin-hood", "dead-poets-society"]),  # a title above a name
    ("audrey", ["amelie"]),  # an actor
    ("xyzzy", []),  # no match
    ("secret", []),  # an unpublished film is never found
    ("coming", []),  # nor one dated in the future
    ("national geographic", ["the-way-back"]),  # a company in the credits
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_search_finds_the_right_films_best_first(client, catalog, query, expected):
    films = found(client, query)
    if isinstance(expected, set):
        assert len(films) == len(expected) and set(films) == expected
    else:
        assert films == expected


def test_the_fragment_finds_what_the_page_finds(client, catalog):
    assert found(client, "weir", HTMX) == found(client, "weir")
    assert set(found(client, "weir")) == WEIR


def test_a_film_is_found_by_its_new_title_after_its_file_changes(app, client, catalog, tmp_path):
    slug_, _title, year, extra = FILMS[2]
    path = film_file(tmp_path, slug_, "Ida Lebenstein", year, extra, date(2024, 8, 3))
    with app.app_context():
        assert content.import_files([path])[0][1] == "updated"
    assert found(client, "lebenstein") == ["ida"]
    assert found(client, "pawlikowski") == ["ida"]


def test_an_empty_or_blank_query_shows_a_hint(client):
    for query in ("", "   ", "\u3000"):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200
        assert "The start of a word is enough" in response.text
    assert "The start of a word is enough" in client.get("/search").text


def test_a_query_without_words_finds_nothing_and_says_so(client):
    response = client.get("/search", query_string={"q": "!!! ..."})
    assert response.status_code == 200
    assert "No film matches" in response.text


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("query", "words_"),
    [("x" * 201, "longer than 200"), ("a\x00b", "cannot be typed"), ("a\x1bb", "cannot be typed")],
    ids=["201 characters", "NUL", "escape"],
)
def test_a_bad_query_is_400_with_a_message_where_the_results_would_be(client, query, words_, htmx):
    response = client.get("/search", query_string={"q": query}, headers=HTMX if htmx else {})
    assert response.status_code == 400
    assert words_ in response.text
    assert 'role="alert"' in response.text
    assert ("<html" in response.text) is not htmx
    assert "\x00" not in response.text and "\x1b" not in response.text


def test_200_characters_is_a_query(client):
    assert client.get("/search", query_string={"q": "w" * 200}).status_code == 200


def test_the_page_and_the_fragment_differ_by_hx_request_and_say_so(client, catalog):
    page = client.get("/search?q=ida")
    fragment = client.get("/search?q=ida", headers=HTMX)
    assert "<html" in page.text and "<html" not in fragment.text
    assert fragment.text.strip() in page.text  # the page includes the one partial
    for response in (page, fragment):
        assert "HX-Request" in response.headers["Vary"]
    assert 'value="ida"' in page.text  # the box shows the query again on its own page


def test_htmx_restoring_history_gets_the_whole_page(client, catalog):
    restore = {**HTMX, "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/search?q=ida", headers=restore).text


def test_the_header_search_box_is_the_same_on_every_page(client):
    """The box is in kept pages (the film page): it must never carry a visitor's query."""
    home = client.get("/").text
    film = client.get("/films/the-way-back?q=leak").text
    box = re.search(r'<form class="site-search".*?</form>', home, re.S).group(0)
    assert box in film and "value=" not in box
    assert 'data-hx-trigger="input changed delay:300ms, search"' in box
    assert 'data-hx-push-url="true"' in box
    assert 'action="/search" method="get"' in box


def test_folding():
    assert fold("Sławomir ÆRØ Straße") == "slawomir aero strasse"
    assert words("Jean-Pierre O'Brien_2") == ["jean", "pierre", "o", "brien", "2"]
    assert slug("Sławomir Rawicz") == "slawomir-rawicz"
    assert slug("黒澤明").startswith("n-") and slug("黒澤明") == slug("黒澤明")
