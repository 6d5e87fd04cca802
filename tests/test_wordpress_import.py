"""`flask wordpress import`: a blog's posts, comments, Rate My Post votes, featured images, About
page and old addresses, in one transaction; nothing twice; a dry run and a bad file change
nothing; what WordPress does not know (the year) stays empty and every page still shows."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import create_app
from app.extensions import db
from app.models import Comment, Film, Genre, Page, Redirect, Tally, User, Vote
from tests.posters import encoded, photo

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
BLOG = FIXTURES / "blog.xml"
VOTES = FIXTURES / "wp_rmp_analytics.csv"
MODELS = (Film, Comment, Vote, Redirect, Genre, Page)


@pytest.fixture
def uploads(tmp_path):
    """The blog's uploads directory with The Way Back's featured image (Amélie's is missing)."""
    folder = tmp_path / "uploads" / "2024" / "07"
    folder.mkdir(parents=True)
    (folder / "the-way-back-poster.png").write_bytes(encoded(photo((400, 600)), "PNG"))
    (folder / "still.jpg").write_bytes(encoded(photo((640, 360)), "JPEG"))
    return tmp_path / "uploads"


def run(runner, *args):
    return runner.invoke(args=["wordpress", "import", str(BLOG), *map(str, args)])


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def film(app, post_id):
    with app.app_context():
        found = db.session.scalar(select(Film).where(Film.wp_post_id == post_id))
        db.session.expunge_all()
        return found


@pytest.fixture
def imported(app, runner, uploads):
    result = run(runner, "--votes", VOTES, "--uploads", uploads)
    assert result.exit_code == 0, result.output
    return result.output


def test_posts_become_films_with_their_status_slug_date_and_genres(app, imported):
    assert imported.splitlines()[0] == (
        "35 new: 4 films, 1 genres, 4 comments, 10 votes, 1 posters, 14 redirects, 1 pages"
    )
    way_back = film(app, 101)
    assert (way_back.slug, way_back.year, way_back.published_on) == (
        "the-way-back-gulag",
        None,
        date(2024, 7, 20),
    )
    assert way_back.is_published and way_back.poster is not None
    assert way_back.body.startswith("Peter Weir's *The Way Back* follows seven prisoners")
    amelie = film(app, 102)
    assert amelie.title == "Amélie — Le Fabuleux Destin d'Amélie Poulain"
    assert amelie.slug == "amelie" and amelie.poster is None
    with app.app_context():
        genres = db.session.scalars(
            select(Genre.slug).join(Film.genres).where(Film.wp_post_id == 102).order_by(Genre.slug)
        ).all()
        assert genres == ["comedie", "drama"]  # Drama: the demo film's genre, not a second one
    scheduled, draft = film(app, 103), film(app, 104)
    assert scheduled.is_published and scheduled.published_on == date(2100, 1, 1)
    assert not draft.is_published and draft.slug == "half-written-thoughts-on-ida"
    assert film(app, 105) is None and film(app, 106) is None


def test_the_summary_says_what_was_left_out_and_why(imported):
    for line in (
        "skipped: post 105 'Private notes': private",
        "skipped: post 106 'Binned': trash",
        "skipped: page contact: only the About page is kept",
        "skipped: comment 505 on post 101: spam",
        "skipped: comment 506 on post 101: trash",
        "skipped: vote 11: post 999 is not imported",
        "skipped: 1 tag(s), Peter Weir: Marquee has no tags; /tag/… addresses are not redirected",
        'note: post 102 "Amélie — Le Fabuleux Destin d\'Amélie Poulain": shortcode [gallery]'
        " removed",
        'note: post 102 "Amélie — Le Fabuleux Destin d\'Amélie Poulain": featured image'
        " 2024/06/amelie-poster.jpg not found under",
    ):
        assert line in imported


def test_pictures_in_the_text_are_left_out_and_named_by_post_even_under_uploads(app, imported):
    assert (
        "note: post 101 'The Way Back (2010): walking out of the gulag': 1 picture(s) in the text"
        " left out (2024/07/still.jpg): a review shows no picture from elsewhere"
    ) in imported.splitlines()
    amelie = film(app, 102).body
    assert "*The café in Montmartre*" in amelie and "cafe.jpg" not in amelie
    assert "still.jpg" not in film(app, 101).body


def test_comments_keep_name_date_status_and_one_level_of_replies_not_addresses(app, imported):
    with app.app_context():
        rows = db.session.execute(
            select(Comment.visitor, Comment.name, Comment.status, Comment.parent_id, Comment.id)
            .join(Film, Film.id == Comment.film_id)
            .where(Film.wp_post_id == 101)
            .order_by(Comment.created_at)
        ).all()
        ids = {row.visitor: row.id for row in rows}
        assert [(r.visitor, r.name, r.status, r.parent_id) for r in rows] == [
            ("wp:comment:501", "Marek", "approved", None),
            ("wp:comment:502", "Anna Kowalska", "approved", ids["wp:comment:501"]),
            ("wp:comment:503", "Zoë", "approved", ids["wp:comment:501"]),  # a reply's reply
            ("wp:comment:504", "Waiting Wanda", "pending", None),
        ]
        body = db.session.scalar(select(Comment.body).where(Comment.visitor == "wp:comment:501"))
        assert body == "Saw it twice. The ending still gets me."
        every_value = " ".join(
            str(value)
            for table in ("comments", "votes", "films", "users")
            for row in db.session.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )
    for kept_out in ("marek@mail.example", "203.0.113.7", "203.0.113.1"):
        assert kept_out not in every_value


def test_each_vote_comes_in_once_and_the_tallies_stay_exact(app, runner, imported):
    with app.app_context():
        tally = db.session.get(Tally, film(app, 101).id)
        assert (tally.count, tally.per_star) == (7, (0, 0, 1, 4, 2))
        assert (tally.imported_count, tally.imported_sum) == (0, 0)  # the votes replace them
        visitors = db.session.scalars(select(Vote.visitor).order_by(Vote.id)).all()
    assert [v for v in visitors if v.startswith("wp:")] == [f"wp:{n}" for n in range(1, 11)]
    result = runner.invoke(args=["ratings", "verify"])
    assert result.exit_code == 0 and "ok: every tally matches its votes" in result.output


def test_without_the_vote_log_the_totals_are_kept_apart(app, runner):
    assert run(runner).exit_code == 0
    with app.app_context():
        tally = db.session.get(Tally, film(app, 101).id)
        assert (tally.count, tally.imported_count, tally.imported_sum) == (0, 7, 29)
    assert runner.invoke(args=["ratings", "verify"]).exit_code == 0


def test_old_addresses_answer_with_301(client, imported):
    for old, new in [
        ("/?p=101", "/films/the-way-back-gulag"),
        ("/2024/07/20/the-way-back/", "/films/the-way-back-gulag"),
        ("/2024/06/01/amelie", "/films/amelie"),
        ("/category/comedie/", "/genres/comedie"),
        ("/?cat=3", "/genres/drama"),
        ("/?cat=4", "/genres/comedie"),
        ("/feed/", "/feed.atom"),
        ("/comments/feed/", "/feed.atom"),
        ("/about/", "/about"),
        ("/?page_id=2", "/about"),
    ]:
        response = client.get(old)
        assert (response.status_code, response.location) == (301, new), old
    assert client.get("/?p=103").status_code == 200  # scheduled: not revealed, the home page


def test_the_about_page_comes_from_the_blog_once(app, client, runner, imported):
    html = client.get("/about").text
    assert '<h1 id="page-title">About Reel Notes</h1>' in html
    assert "I write about" in html
    with app.app_context():
        db.session.scalar(select(Page)).body = "Mine now."
        db.session.commit()
    run(runner, "--votes", VOTES)
    assert "Mine now." in client.get("/about").text


def everything(app):
    """Every row of every table: what "nothing changed" means."""
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["again", "dry-run"])
def test_a_second_import_adds_nothing(app, runner, uploads, imported, tmp_path, dry_run):
    before = everything(app)
    posters = sorted((tmp_path / "posters").rglob("*"))
    result = run(runner, "--votes", VOTES, "--uploads", uploads, *dry_run)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[len(dry_run)] == "0 new: everything was imported before"
    assert everything(app) == before
    assert sorted((tmp_path / "posters").rglob("*")) == posters


def test_a_dry_run_changes_nothing(app, runner, uploads, tmp_path):
    before = everything(app)
    result = run(runner, "--votes", VOTES, "--uploads", uploads, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "dry run: nothing was changed; an import would make:",
        "35 new: 4 films, 1 genres, 4 comments, 10 votes, 1 posters, 14 redirects, 1 pages",
    ]
    assert everything(app) == before
    assert not (tmp_path / "posters").exists()


def test_a_bad_file_is_refused_with_its_line_and_changes_nothing(app, runner, tmp_path):
    before = counts(app)
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaa">\n]>\n<rss/>\n')
    result = runner.invoke(args=["wordpress", "import", str(bomb)])
    assert result.exit_code == 1
    assert "bomb.xml: line 3: the entity 'a' is declared" in result.output
    assert "nothing was changed" in result.output
    # A fault late in the file: the posts before it are not kept either.
    broken = tmp_path / "broken.xml"
    broken.write_text(BLOG.read_text().replace("<![CDATA[14]]>", "<![CDATA[99]]>"))
    result = runner.invoke(args=["wordpress", "import", str(broken)])
    assert result.exit_code == 1
    assert re.search(r"line 165: post 102 .*: 99 stars cannot come from 3 votes", result.output)
    assert counts(app) == before


def test_a_file_malformed_after_its_first_posts_is_refused_by_element_and_line(
    app, runner, tmp_path
):
    before = everything(app)
    torn = tmp_path / "torn.xml"
    torn.write_text(
        BLOG.read_text().replace("(coming soon)]]></title>", "(coming soon)]]></titel>")
    )
    result = runner.invoke(args=["wordpress", "import", str(torn), "--votes", str(VOTES)])
    assert result.exit_code == 1
    assert (
        "torn.xml: line 203, column 46: not well-formed XML (mismatched tag) inside <title>;"
        " nothing was changed"
    ) in result.output
    assert everything(app) == before


def test_an_author_with_an_account_gets_the_byline(app, runner):
    result = runner.invoke(
        args=["users", "create", "Anna@ReelNotes.example", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    result = run(runner)
    assert "'Anna Kowalska'" not in result.output and "'Guest Writer' (guest@" in result.output
    with app.app_context():
        owner = db.session.scalar(select(User))
        assert film(app, 101).author_id == owner.id and film(app, 102).author_id is None


def test_films_without_a_year_show_everywhere(client, imported):
    for url in ("/", "/reviews", "/films/the-way-back-gulag", "/genres/drama", "/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "None" not in response.text, url
    page = client.get("/films/the-way-back-gulag").text
    assert "<title>The Way Back (2010): walking out of the gulag – Marquee</title>" in page
    card = re.search(r'src="(/posters/title-cards/amelie/[^"]+\.svg)"', client.get("/").text)
    assert client.get(card[1]).status_code == 200


def test_imported_totals_show_in_the_average_never_as_made_up_bars(app, client, runner):
    from tests.helpers import block_of, csrf_token, text_of

    assert run(runner).exit_code == 0
    url = "/films/the-way-back-gulag"
    block = block_of(client.get(url).text)
    assert "Average rating 4.1 / 5. Vote count: 7" in text_of(block)  # 29 stars from 7 votes
    assert "7 of the 7 votes came with the film from its old blog" in text_of(block)
    assert "<table" not in block
    token = csrf_token(client.get(url).text)
    client.post(f"{url}/rating", data={"csrf_token": token, "stars": "5"})
    block = block_of(client.get(url).text)
    assert "Average rating 4.3 / 5. Vote count: 8" in text_of(block)  # (29 + 5) / 8
    assert "not in the table below" in block and "How readers voted here" in block
    assert "1 (100%)" in text_of(block)
    home = text_of(client.get("/").text)
    assert "Average rating 4.3 / 5. Vote count: 8" in home
    assert runner.invoke(args=["ratings", "verify"]).exit_code == 0


def test_the_admin_lists_films_to_complete_and_the_redirects(app, runner, owner, imported):
    html = owner.client.get("/admin/films").text
    assert '<a href="/admin/films?incomplete=1">Without a year or credits (4)</a>' in html
    listed = owner.client.get("/admin/films?incomplete=1").text
    titles = re.findall(r'<td><a href="/admin/films/([^"/]+)">', listed)
    assert sorted(titles) == [
        "amelie",
        "half-written-thoughts-on-ida",
        "nosferatu",
        "the-way-back-gulag",
    ]  # not the demo film, which has both
    redirects = owner.client.get("/admin/redirects").text
    assert "<code>/?p=101</code>" in redirects
    assert '<a href="/admin/films/the-way-back-gulag">' in redirects
    assert "<code>/genres/comedie</code>" in redirects


def test_imported_totals_count_in_top_rated(app, client, runner):
    app.config["TOP_RATED_MIN_VOTES"] = 1
    assert run(runner).exit_code == 0  # Amélie: 3 votes, 14 stars; The Way Back (blog): 7, 29
    html = client.get("/").text
    top = html[html.index('id="top-title"') :]
    assert re.findall(r'<a href="/films/([^"]+)">', top)[:3] == [
        "the-way-back",  # the demo film's one 5-star vote
        "amelie",
        "the-way-back-gulag",
    ]


def test_imported_replies_show_under_their_thread(client, imported):
    html = client.get("/films/the-way-back-gulag").text
    section = html[html.index('id="comments"') :]
    for words in ("Saw it twice.", "Me too!", "A reply to a reply."):
        assert words in section
    assert section.index("Saw it twice.") < section.index("Me too!")
    assert "Held for moderation." not in section  # pending: in the queue, not on the page


def test_a_newer_export_adds_its_new_comment_and_the_page_shows_it(app, client, runner, tmp_path):
    assert run(runner).exit_code == 0
    url = "/films/the-way-back-gulag"
    assert "A late comment." not in client.get(url).text  # the page is now kept
    newer = tmp_path / "newer.xml"
    late = (
        "<wp:comment><wp:comment_id>507</wp:comment_id>"
        "<wp:comment_author><![CDATA[Late Lena]]></wp:comment_author>"
        "<wp:comment_date_gmt><![CDATA[2024-08-01 10:00:00]]></wp:comment_date_gmt>"
        "<wp:comment_content><![CDATA[A late comment.]]></wp:comment_content>"
        "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>"
        "<wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
    )
    newer.write_text(BLOG.read_text().replace("\t</item>", late + "\t</item>", 1))
    result = runner.invoke(args=["wordpress", "import", str(newer)])
    assert result.output.splitlines()[0].startswith("1 new: 0 films, 0 genres, 1 comments")
    assert "A late comment." in client.get(url).text


def test_the_import_runs_as_production_does_without_server_name(database_url, tmp_path):
    """Outside the tests no SERVER_NAME is set: the CLI has no request to build addresses in."""
    bare = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POSTER_DIR": str(tmp_path / "posters"),
        }
    )
    assert bare.config["SERVER_NAME"] is None
    with bare.app_context():
        db.create_all()
    try:
        result = run(bare.test_cli_runner(), "--votes", VOTES)
        assert result.exit_code == 0, result.output
        assert "14 redirects" in result.output.splitlines()[0]
        with bare.app_context():
            targets = set(db.session.scalars(select(Redirect.target)))
        assert targets == {None, "/about", "/genres/comedie", "/genres/drama", "/feed.atom"}
    finally:
        with bare.app_context():
            db.session.remove()
            db.engine.dispose()
