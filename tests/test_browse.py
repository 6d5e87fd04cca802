"""A person's, a genre's and a year's pages: their films (visible ones only) paged by key, each
person's roles, the credits box's links, and each page's title, description and canonical."""

import re

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.films import content
from app.models import FilmGenre, Genre
from tests.catalog import import_catalog
from tests.helpers import FILM_URL, add_films, card_slugs, jsonld, next_link


@pytest.fixture
def catalog(app, tmp_path):
    import_catalog(app, tmp_path)


def listed(html):
    return re.findall(r'<h3 class="card-title"><a href="/films/([^"]+)">', html)


def roles(html):
    """Per film slug, the roles line of its card."""
    cards = re.findall(r'<a href="/films/([^"]+)">.*?<p class="card-roles">([^<]*)</p>', html, re.S)
    return dict(cards)


def test_a_person_page_lists_their_visible_films_with_every_role(client, catalog):
    html = client.get("/people/peter-weir").text
    # Newest review first; the unpublished and the coming film are not there.
    assert listed(html) == ["the-truman-show", "dead-poets-society", "the-way-back"]
    assert roles(html)["the-way-back"] == "Director, Screenplay, Producer"
    assert roles(html)["the-truman-show"] == "Director"
    assert "Secret" not in html and "Coming" not in html


def test_a_name_in_two_roles_shows_both_and_the_character(client, catalog):
    html = client.get("/people/clint-eastwood").text
    assert roles(html) == {"unforgiven": "Director, Producer, Actor as William Munny"}


def test_a_person_with_accents_has_a_folded_slug(client, catalog):
    html = client.get("/people/pawel-pawlikowski").text
    assert "<h1>Paweł Pawlikowski</h1>" in html
    assert listed(html) == ["ida"]


def test_a_person_of_no_visible_film_or_unknown_is_404(client, catalog):
    assert client.get("/people/hidden-actor").status_code == 404
    assert client.get("/people/nobody-at-all").status_code == 404


def test_every_name_in_the_credits_box_links_to_its_person(client):
    html = client.get(FILM_URL).text
    box = html[html.index('<aside class="credits"') : html.index("</aside>")]
    for name, slug_ in [
        ("Peter Weir", "peter-weir"),
        ("Saoirse Ronan", "saoirse-ronan"),
        ("Burkhard Dallwitz", "burkhard-dallwitz"),
    ]:
        assert f'<a href="/people/{slug_}">{name}</a>' in box
    links = re.findall(r'<a href="/people/([^"]+)">', box)
    assert len(links) == 15  # 1 director, 2 writers, 5 producers, 4 actors, 3 crew
    for link in set(links):
        assert client.get(f"/people/{link}").status_code == 200
    # Companies are not people: no person page.
    assert "<dd>National Geographic Films</dd>" in box
    assert '<a href="/genres/drama">Drama</a>' in box
    assert '<a href="/years/2010">2010</a>' in box


def test_a_genre_page_lists_its_visible_films(client, catalog):
    html = client.get("/genres/drama").text
    assert listed(html) == [
        "unforgiven",
        "the-truman-show",
        "ida",
        "dead-poets-society",
        "the-way-back",
    ]
    assert client.get("/genres/western").status_code == 200  # Unforgiven
    assert "secret-film" not in client.get("/genres/western").text
    assert client.get("/genres/science-fiction").status_code == 200
    assert client.get("/genres/musical").status_code == 404


def test_a_year_page_lists_that_years_films(client, catalog):
    assert listed(client.get("/years/2010").text) == ["the-way-back"]
    assert listed(client.get("/years/1998").text) == ["the-truman-show"]
    for year in ("2020", "2027", "1850", "3000", "99999999999999999999", "abc", "-1"):
        assert client.get(f"/years/{year}").status_code == 404, year


def test_a_genre_of_many_films_is_paged_by_key(app, client):
    slugs = add_films(app, [(0, 0, 0, 0, 0)] * 50)
    with app.app_context():
        drama = db.session.scalar(select(Genre.id).where(Genre.slug == "drama"))
        db.session.execute(
            insert(FilmGenre), [{"film_id": int(s.split("-")[1]), "genre_id": drama} for s in slugs]
        )
        db.session.commit()
    pages, url = [], "/genres/drama"
    while url:
        html = client.get(url).text
        pages.append(listed(html))
        url = next_link(html)
        if url:
            assert '<a rel="next" href="' in html and "Older films" in html
    assert [len(page) for page in pages] == [24, 24, 3]
    assert [s for page in pages for s in page] == [*reversed(slugs), "the-way-back"]


def test_each_page_has_a_title_a_description_and_a_canonical(client, catalog):
    for url, title in [
        ("/people/peter-weir", "<title>Peter Weir: films reviewed – Marquee</title>"),
        ("/genres/drama", "<title>Drama films reviewed – Marquee</title>"),
        ("/years/2010", "<title>Films of 2010 reviewed – Marquee</title>"),
    ]:
        html = client.get(url).text
        assert title in html
        assert f'<link rel="canonical" href="http://marquee.test{url}">' in html
        description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
        assert len(description) > 40


def test_a_bad_cursor_on_a_list_is_404(client, catalog):
    assert client.get("/genres/drama?after=nonsense").status_code == 404


def test_home_cards_are_unchanged_by_person_cards(client, catalog):
    """A film's card on a person page (with roles) and on the home page are kept apart."""
    client.get("/people/peter-weir")
    home = client.get("/").text
    assert "card-roles" not in home
    assert "the-truman-show" in card_slugs(home, "newest")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("genres = [3]", "genres[0]"),
        ('genres = [" "]', "genres[0]"),
        ("original_title = 3", "original_title"),
    ],
)
def test_a_film_file_with_bad_genres_or_original_title_is_refused(app, tmp_path, line, field):
    path = tmp_path / "bad.toml"
    path.write_text(
        f'slug = "bad"\ntitle = "Bad"\nyear = 2000\npublished = 2024-01-01\n{line}\n'
        'body = "A film."\n',
        encoding="utf-8",
    )
    with app.app_context(), pytest.raises(content.FilmFileError, match=re.escape(f"'{field}'")):
        content.import_files([path])


def test_list_pages_carry_an_item_list_of_their_films_in_the_order_shown(client, catalog):
    for url in ("/people/peter-weir", "/genres/drama", "/years/2010", "/reviews"):
        html = client.get(url).text
        data = jsonld(html)
        assert data["@type"] == "ItemList", url
        urls = [item["url"] for item in data["itemListElement"]]
        assert urls == [f"http://marquee.test/films/{slug}" for slug in listed(html)], url
        assert [item["position"] for item in data["itemListElement"]] == list(
            range(1, len(urls) + 1)
        )
        assert len(urls) >= 1
