"""The owner's review: score, verdict and byline on the page, the cards and in the JSON-LD (kept
apart from the readers' votes), the limits on what is saved, and the owner's display name."""

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.films import content
from app.models import Film, User, utcnow
from tests.admin.helpers import EMAIL
from tests.admin.test_films_admin import NEW
from tests.helpers import FILM_URL, MINIMAL, SLUG, Visitor, block_of, jsonld, text_of


def score(app, halves, verdict=None, slug=SLUG):
    """The owner's score set as a save does: with a new updated_at, which renews the page."""
    with app.app_context():
        db.session.execute(
            update(Film)
            .where(Film.slug == slug)
            .values(
                score_halves=halves,
                verdict=verdict,
                updated_at=utcnow(),
            )
        )
        db.session.commit()


def test_an_owner_scored_film_shows_both_verdicts_apart_near_the_title(app, client, visitor):
    score(app, 9, "A long, hard walk, beautifully shot.")
    visitor.vote("2")
    html = client.get(FILM_URL).get_data(as_text=True)
    head = text_of(html[html.index("<h1") : html.index('class="film-layout"')])
    assert "Our verdict ★★★★½ 4.5 out of 5" in head
    assert "A long, hard walk, beautifully shot." in head
    # The demo's seeded 5 and this 2: the readers' own numbers, the block's to the digit.
    assert "Readers: 3.5 / 5 from 2 votes" in head
    assert 'href="#rating"' in html[html.index("<h1") : html.index('class="film-layout"')]
    assert "Average rating 3.5 / 5. Vote count: 2" in text_of(block_of(html))
    # On a narrow screen the poster is moved before the article by the stylesheet alone.
    assert html.index('class="verdicts"') < html.index('class="film-layout"')


def test_a_film_without_a_score_shows_the_readers_only(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "Our verdict" not in html
    assert "Readers: 5 / 5 from 1 vote" in text_of(html)


def google_required(movie, scored):
    """Every property Google's Movie carousel and Review snippet documentation marks required
    (name and image of the Movie; author.name, reviewRating.ratingValue of a Review; ratingValue
    and ratingCount of an AggregateRating), with the ranges it asks for."""
    assert movie["@type"] == "Movie" and movie["name"] and movie["image"].startswith("http")
    rating = movie["aggregateRating"]
    assert rating["ratingValue"] and rating["ratingCount"] >= 1
    if not scored:
        assert "review" not in movie
        return
    review = movie["review"]
    assert review["@type"] == "Review"
    assert review["author"]["@type"] in {"Person", "Organization"}
    assert 0 < len(review["author"]["name"]) < 100
    stars = review["reviewRating"]
    assert stars["bestRating"] == 5 and stars["worstRating"] == 0.5
    assert stars["worstRating"] <= stars["ratingValue"] <= stars["bestRating"]
    assert review["publisher"]["@type"] == "Organization" and review["publisher"]["name"]
    assert review["datePublished"] and review["description"]


@pytest.mark.parametrize("halves", [None, 1, 8, 9, 10])
def test_json_ld_has_what_google_requires_with_and_without_a_score(app, client, halves):
    score(app, halves, "Worth the walk." if halves else None)
    html = client.get(FILM_URL).get_data(as_text=True)
    movie = jsonld(html)
    google_required(movie, scored=halves is not None)
    # The readers' numbers only, equal to what the page shows.
    assert movie["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 5,
        "ratingCount": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    if halves:
        assert movie["review"]["reviewRating"]["ratingValue"] == halves / 2
        assert movie["review"]["description"] == "Worth the walk."
        assert movie["review"]["author"] == {
            "@type": "Organization",
            "name": "Marquee",
            "url": "http://marquee.test/",
        }


def test_a_film_the_owner_creates_is_signed_with_their_name_and_dated(app, owner, client, runner):
    assert runner.invoke(args=["users", "set-name", EMAIL, "  Ann   Reviewer "]).exit_code == 0
    created = owner.post("/admin/new-film", {**NEW, "score": "4", "verdict": "Good."})
    assert created.status_code == 303
    page = client.get("/films/a-new-film").get_data(as_text=True)
    assert "By Ann Reviewer" in text_of(page) and "Updated" not in text_of(page)
    assert jsonld(page)["review"]["author"] == {"@type": "Person", "name": "Ann Reviewer"}
    assert "Our verdict ★★★★ 4 out of 5" in text_of(page)
    owner.post("/admin/films/a-new-film", {**NEW, "score": "4", "verdict": "Better."})
    page = client.get("/films/a-new-film").get_data(as_text=True)
    assert "By Ann Reviewer · Updated" in text_of(page)
    assert '<time datetime="2024-01-02">Tue. Jan 2nd, 2024</time>' in page


def test_cards_show_the_owners_score_and_the_reviews_first_lines(app, client):
    score(app, 7)
    html = client.get("/").get_data(as_text=True)
    card = html[html.index('<li class="card">') :]
    card = text_of(card[: card.index("</li>")])
    assert "Our verdict ★★★½ 3.5 out of 5" in card
    assert "“The Way Back” is an epic survival drama film directed by Peter Weir." in card
    assert card.index("Our verdict") < card.index("Average rating")


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"score": "4.3"}, "score", "half stars"),
        ({"score": "0"}, "score", "half stars"),
        ({"score": "5.5"}, "score", "half stars"),
        ({"score": "nan"}, "score", "half stars"),
        ({"score": "lots"}, "score", "Choose a score"),
        ({"verdict": "x" * 201}, "verdict", "longer than 200"),
        ({"body": "x" * 100_001}, "body", "longer than 100000"),
        ({"body": "[x](javascript:alert(1))"}, "body", "not a web page"),
        ({"body": "See [it](/films/not-a-film)."}, "body", "no film of this site"),
    ],
)
def test_the_form_refuses_each_limit_by_its_field_and_saves_nothing(app, owner, form, field, words):
    response = owner.post("/admin/new-film", {**NEW, **form}, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html[html.index(f'id="f-{field}-error">') :]
    assert words in error[: error.index("</p>")]
    with app.app_context():
        assert db.session.scalar(select(Film).where(Film.slug == "a-new-film")) is None


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("score = 4.25", "half stars"),
        ("score = 6", "half stars"),
        ("score = true", "half stars"),
        ('score = "4"', "half stars"),
        (f'verdict = "{"x" * 201}"', "longer than 200"),
    ],
)
def test_a_film_file_with_a_bad_score_or_verdict_is_refused(app, tmp_path, line, words):
    path = tmp_path / "bad.toml"
    text = MINIMAL.format(slug="bad", title="Bad")
    path.write_text(text.replace('body = "A film."', f'body = "A film."\n{line}'), "utf-8")
    with app.app_context(), pytest.raises(content.FilmFileError, match=words):
        content.import_files([path])


def test_export_writes_body_score_and_verdict_and_reads_back_unchanged(app, tmp_path):
    score(app, 9, "Worth the walk.")
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.slug == SLUG))
        text = content.to_toml(film)
        assert "score = 4.5" in text and 'verdict = "Worth the walk."' in text
        assert 'body = """\n“The Way Back” is an epic' in text and "## Reception" in text
        path = tmp_path / "again.toml"
        path.write_text(text, "utf-8")
        assert content.import_files([path]) == [(path, "unchanged")]


def test_an_older_film_file_with_an_article_table_still_loads(app, client, tmp_path):
    path = tmp_path / "old.toml"
    old = MINIMAL.format(slug="old", title="Old").replace(
        'body = "A film."',
        '[article]\nlead = "First.\\n\\nSecond *part*."\nawards = "None."\n',
    )
    path.write_text(old.replace("[credits]", "\n[credits]"), "utf-8")
    with app.app_context():
        content.import_files([path])
        film = db.session.scalar(select(Film).where(Film.slug == "old"))
        assert film.body == "First.\n\nSecond \\*part\\*.\n\n## Awards\n\nNone."


def test_users_create_takes_a_name_and_the_owner_edits_it_in_the_admin(app, runner, owner):
    made = runner.invoke(
        args=["users", "create", "b@example.com", "--name", "Bea", "--password-stdin"],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    assert "Bea" in runner.invoke(args=["users", "list"]).output
    too_long = owner.post("/admin/profile", {"display_name": "x" * 121})
    assert too_long.status_code == 422
    assert "at most 120 characters" in too_long.get_data(as_text=True)
    saved = owner.post("/admin/profile", {"display_name": "Ann"})
    assert saved.status_code == 303
    with app.app_context():
        names = dict(db.session.execute(select(User.email, User.display_name)).all())
    assert names == {EMAIL.casefold(): "Ann", "b@example.com": "Bea"}


def test_the_preview_renders_the_body_for_htmx_and_refuses_unsafe_links(app, owner):
    response = owner.post(
        "/admin/new-film/body-preview",
        {**NEW, "body": "## Seen\n\n*Fine*.\n\n```spoiler\nIt ends.\n```"},
        htmx=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith('<div id="body-preview"')
    assert (
        "<h2>Seen</h2>" in html and "<em>Fine</em>" in html and "<summary>Spoiler</summary>" in html
    )
    refused = owner.post(
        "/admin/films/the-way-back/body-preview",
        {**NEW, "body": "[x](javascript:alert(1))"},
        htmx=True,
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="f-body-preview-error"' in text
    assert "not a web page or mail address" in text and "<a " not in text
    with app.app_context():
        assert db.session.scalar(select(Film).where(Film.slug == "a-new-film")) is None


def test_the_preview_without_javascript_is_the_form_page_with_the_preview(app, owner):
    response = owner.post(
        "/admin/films/the-way-back/body-preview", {**NEW, "body": "**Bold** words."}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert "<strong>Bold</strong> words." in html
    assert 'action="/admin/films/the-way-back"' in html  # saving still saves this film
    assert "**Bold** words.</textarea>" in html


def test_the_preview_needs_the_csrf_token_and_a_signed_in_owner(app, owner, client):
    without = owner.client.post("/admin/new-film/body-preview", data={"body": "x"})
    assert without.status_code == 400
    # A visitor's own valid token does not make them an owner.
    token = Visitor(client).token
    signed_out = client.post(
        "/admin/new-film/body-preview", data={"body": "x", "csrf_token": token}
    )
    assert signed_out.status_code == 303 and "sign-in" in signed_out.location


def test_the_form_shows_no_preview_until_one_is_asked_for(owner):
    html = owner.get("/admin/new-film").get_data(as_text=True)
    assert '<div id="body-preview"' in html and "body-preview-title" not in html


def test_a_vote_by_htmx_also_sends_the_readers_numbers_out_of_band(visitor):
    response = visitor.vote("3", htmx=True)
    html = response.get_data(as_text=True)
    assert '<section id="rating"' in html
    readers = html[html.index('<p id="readers-verdict"') :]
    assert 'data-hx-swap-oob="true"' in readers[:120]
    assert "Readers: <strong>4</strong> / 5 from 2 votes" in readers


def test_a_new_display_name_is_on_the_kept_page_and_feed_at_once(app, owner, client, runner):
    assert runner.invoke(args=["users", "set-name", EMAIL, "Ann"]).exit_code == 0
    assert (
        owner.post("/admin/new-film", {**NEW, "score": "4", "verdict": "Good."}).status_code == 303
    )
    assert "By Ann" in text_of(client.get("/films/a-new-film").get_data(as_text=True))
    client.get("/feed.atom")  # both kept now
    assert owner.post("/admin/profile", {"display_name": "Ann Reviewer"}).status_code == 303
    page = client.get("/films/a-new-film").get_data(as_text=True)
    # Renewed without a new updated_at: the name is the owner's, not an edit of the review.
    assert "By Ann Reviewer" in text_of(page) and "Updated" not in text_of(page)
    assert jsonld(page)["review"]["author"]["name"] == "Ann Reviewer"
    assert "<name>Ann Reviewer</name>" in client.get("/feed.atom").get_data(as_text=True)
    assert runner.invoke(args=["users", "set-name", EMAIL, "Bea"]).exit_code == 0
    assert "By Bea" in text_of(client.get("/films/a-new-film").get_data(as_text=True))
