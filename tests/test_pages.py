"""The fast paths: what film pages share between visitors, what stays per visitor, how many
queries a request costs, hashed static files, and the lazily loaded migration commands."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, text

from app.core.warmup import warm_up
from app.extensions import db
from app.films import content
from tests.helpers import FILM_URL, HTMX, RATING_URL, csrf_token


@pytest.fixture
def statements(app):
    """The SQL statements the app sends while the test runs (transaction control left out)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_):
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", statement, re.I):
            sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


def test_film_page_is_one_query_once_its_film_version_is_rendered(client, statements):
    client.get(FILM_URL)  # renders and keeps this film version, its comments included
    statements.clear()
    assert client.get(FILM_URL).status_code == 200
    # The film's version and revision, its numbers and the visitor's own vote, in one.
    assert len(statements) == 1, statements
    assert "tallies" in statements[0]


def test_first_render_of_a_film_version_is_a_fixed_number_of_queries(client, statements):
    assert client.get(FILM_URL).status_code == 200
    # The lookup, then the film, its credits, their people, its releases and genres: never one
    # per credit; comments.
    assert len(statements) <= 8, statements


def test_after_a_vote_the_page_reads_its_comments_again(client, new_visitor, statements):
    client.get(FILM_URL)
    new_visitor().vote("2")
    statements.clear()
    assert client.get(FILM_URL).status_code == 200
    assert len(statements) == 3, statements
    assert sum("comments" in s for s in statements) == 2


def test_warm_up_leaves_pages_rendered_templates_compiled_and_no_connection(app, statements):
    warm_up(app)
    compiled = {template.name for template in app.jinja_env.cache.values()}
    assert set(app.jinja_env.list_templates()) <= compiled
    with app.app_context():
        assert db.engine.pool.checkedin() == 0
    statements.clear()
    assert app.test_client().get(FILM_URL).status_code == 200
    assert len(statements) == 1, statements  # the film's page was kept by the warm-up


def test_rating_fragment_is_one_query(visitor, statements):
    statements.clear()
    assert visitor.client.get(RATING_URL, headers=HTMX).status_code == 200
    assert len(statements) == 1, statements


@pytest.mark.parametrize(
    ("before", "expected"),
    [(None, 2), ("2", 4), ("4", 3)],
    ids=["new vote", "changed vote", "repeated vote"],
)
def test_a_vote_is_a_fixed_number_of_statements(visitor, statements, before, expected):
    if before:
        visitor.vote(before)
    statements.clear()
    assert visitor.vote("4").status_code == 200
    # In one write transaction: the insert, which finds the film by its slug itself, and the
    # tally, which returns the new numbers for the block; a vote already there is locked
    # instead, then changed (and the tally) or, the same again, only read.
    assert len(statements) == expected, statements


def test_each_first_visit_gets_its_own_session_and_token(new_visitor):
    first, second = new_visitor(), new_visitor()
    assert first.token != second.token
    # Each token belongs to its own session only.
    first.token, second.token = second.token, first.token
    assert first.vote("3").status_code == 400
    first.token, second.token = second.token, first.token
    assert first.vote("3").status_code == 200
    assert second.vote("5").status_code == 200


def test_a_visitors_own_vote_is_never_shown_to_another(app, new_visitor):
    rater = new_visitor()
    rater.vote("2")
    other = app.test_client()
    other_page = other.get(FILM_URL).get_data(as_text=True)
    assert "Your rating" not in other_page
    assert "aria-current" not in other_page
    own_page = rater.client.get(FILM_URL).get_data(as_text=True)
    assert "Your rating: <strong>2</strong> / 5" in own_page
    # And the visitor's own page after the other's view still carries the visitor's token.
    assert csrf_token(own_page) != csrf_token(other_page)


def kept_renderings(app) -> list[str]:
    """Everything the app's caches hold, as text."""
    kept = [v for k, v in app.extensions.items() if k.startswith("marquee.cache.")]
    return [repr(value) for cache in kept for _, value in cache._items.values()]


def test_nothing_of_one_visitor_reaches_a_kept_page_served_to_another(app, new_visitor):
    """Visitor A's id, token, own vote and flashed notice, present while every kept level of
    the film page and the home page is rendered anew in A's requests, reach no other visitor."""
    a = new_visitor()
    a.vote("2")
    with app.app_context():  # every kept rendering of the film is stale now
        db.session.execute(text("UPDATE films SET updated_at = CURRENT_TIMESTAMP"))
        db.session.commit()
    data = {"csrf_token": a.token, "name": "Ann", "comment": "Seen it twice."}
    posted = a.client.post(f"{FILM_URL}/comments", data=data, follow_redirects=True)
    a_pages = [posted, a.client.get("/"), a.client.get(RATING_URL)]
    assert "Thank you for your comment!" in posted.get_data(as_text=True)
    assert "Your rating: <strong>2</strong> / 5" in posted.get_data(as_text=True)
    with a.client.session_transaction() as session:
        a_values = {session["visitor"], session["csrf_token"]}
    for page in a_pages:
        html = page.get_data(as_text=True)
        # A signed token starts with the session's token, whatever its timestamp.
        a_values |= {
            t.split(".")[0] for t in re.findall(r'name="csrf_token" value="([^"]+)"', html)
        }

    b = app.test_client()
    b_pages = [b.get(FILM_URL), b.get("/"), b.get(RATING_URL), b.get("/sitemap.xml")]
    assert all(page.status_code == 200 for page in b_pages)
    for html in [page.get_data(as_text=True) for page in b_pages] + kept_renderings(app):
        assert "Thank you for your comment!" not in html
        assert not [value for value in a_values if value in html]
    b_film = b_pages[0].get_data(as_text=True)
    assert "Seen it twice." in b_film and "Your rating" not in b_film
    assert "aria-current" not in b_film
    # Whatever else of A's there might be (a flashed key, a session value): B's pages rendered
    # from what A's requests kept are the pages rendered for B alone.
    for name in [name for name in app.extensions if name.startswith("marquee.cache.")]:
        del app.extensions[name]
    for url, kept in zip((FILM_URL, "/", RATING_URL), b_pages, strict=False):
        assert without_tokens(b.get(url)) == without_tokens(kept), url


def without_tokens(response) -> str:
    return re.sub(r'(name="csrf_token" value=)"[^"]+"', r"\1", response.get_data(as_text=True))


def test_numbers_and_json_ld_follow_every_vote(client, new_visitor):
    client.get(FILM_URL)
    new_visitor().vote("1")
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "Vote count: <strong>2</strong>" in html
    assert '"ratingCount": 2' in html


def test_a_kept_page_carries_each_visitors_own_token_in_every_form(app, client, new_visitor):
    client.get(FILM_URL)  # kept from here on
    for _ in range(2):
        someone = new_visitor()
        html = someone.client.get(FILM_URL).get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert len(tokens) == 1 and tokens.pop().split(".")[0] == someone.token.split(".")[0]
        assert "hole-" not in html


def test_a_notice_or_a_refused_comment_is_shown_once_and_to_its_poster_only(app, visitor):
    other = app.test_client()
    other.get(FILM_URL)
    data = {"csrf_token": visitor.token, "name": "Ann", "comment": "Seen it twice."}
    posted = visitor.client.post(f"{FILM_URL}/comments", data=data, follow_redirects=True)
    assert "Thank you for your comment!" in posted.get_data(as_text=True)
    for page in (other.get(FILM_URL), visitor.client.get(FILM_URL)):
        html = page.get_data(as_text=True)
        assert "Seen it twice." in html and "Thank you for your comment!" not in html
    refused = visitor.client.post(
        f"{FILM_URL}/comments", data={**data, "name": "", "comment": "Kept text"}
    )
    assert refused.status_code == 422 and "Kept text" in refused.get_data(as_text=True)
    again = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert "Kept text" not in again and "Please enter your name." not in again


def test_the_json_ld_agrees_with_the_block_after_a_tally_changed_outside_the_app(app, client):
    client.get(FILM_URL)
    with app.app_context():
        db.session.execute(text("UPDATE tallies SET count = 3, s5 = 3"))  # revision unmoved
        db.session.commit()
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "Vote count: <strong>3</strong>" in html
    assert '"ratingCount": 3' in html


def test_an_edited_film_is_rendered_anew(app, client, tmp_path):
    client.get(FILM_URL)
    source = content.DEMO.read_text().replace('title = "The Way Back"', 'title = "The Long Way"')
    edited = tmp_path / "edited.toml"
    edited.write_text(source)
    with app.app_context():
        content.import_files([edited])
    html = client.get(FILM_URL).get_data(as_text=True)
    assert '<h1 id="film-title">The Long Way</h1>' in html
    assert "The Long Way (2010)" in html


def test_an_unpublished_film_is_gone_at_once_though_it_was_kept(app, client):
    client.get(FILM_URL)
    with app.app_context():
        db.session.execute(text("UPDATE films SET is_published = false"))
        db.session.commit()
    assert client.get(FILM_URL).status_code == 404


def test_refused_vote_without_htmx_renders_the_page_with_the_error(visitor):
    response = visitor.vote("9", htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose a rating from 1 to 5 stars." in html
    # The visitor's own token: the same session secret (the signature's timestamp may differ by
    # a second), and it casts a vote.
    token = csrf_token(html)
    assert token.split(".")[0] == visitor.token.split(".")[0]
    visitor.token = token
    assert visitor.vote("4").status_code == 200


def asset(client, name):
    html = client.get(FILM_URL).get_data(as_text=True)
    return re.search(rf'"(/assets/[0-9a-f]+/{re.escape(name)})"', html).group(1)


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None), ("br;q=0, gzip", "gzip")],
)
def test_static_files_are_sent_precompressed_as_accepted(app, client, accept, encoding):
    url = asset(client, "htmx-4.0.1.min.js")
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get(url).data
    assert plain == (Path(app.static_folder) / "htmx-4.0.1.min.js").read_bytes()
    assert (len(response.data) < len(plain)) == (encoding is not None)


def test_a_stale_asset_hash_is_404(client):
    url = asset(client, "style.css")
    stale = re.sub(r"/assets/[0-9a-f]+/", "/assets/0123456789abcdef/", url)
    assert client.get(stale).status_code == 404


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    response = client.get(FILM_URL, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_migration_commands_load_only_when_run(runner):
    # A web worker never imports alembic; the `db` commands still all work from the CLI.
    check = "import sys, wsgi; print('alembic' in sys.modules, 'flask_migrate' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    result = runner.invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    assert "upgrade" in result.output
