"""The comments section: posting, every message, validation, spam defences, stars, pages, CLI."""

import html as htmllib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select, update

from app.comments.forms import BODY_MAX, NAME_MAX
from app.comments.posting import LINKS_ALLOWED
from app.core.text import in_words, post_date
from app.extensions import db
from app.models import Comment, Film, Tally, utcnow
from tests.helpers import FILM_URL, HTMX, SLUG

COMMENTS_URL = f"{FILM_URL}/comments"
POSTED = "Thank you for your comment!"
HELD = (
    "Thank you! Comments with more than two links are read by a moderator first; yours will"
    " appear once it is approved."
)
NOT_SAVED = "Your comment was not posted yet: please correct what is marked below."


def post(visitor, name="Ann", comment="A fine film.", htmx=True, **fields):
    data = {"csrf_token": visitor.token, "name": name, "comment": comment, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    return visitor.client.post(COMMENTS_URL, data=data, headers=HTMX if htmx else {})


def section_of(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start) + len("</section>")]


def words(html: str) -> str:
    """The visible words of some HTML, tags removed, white space folded, entities decoded."""
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def listed(html: str) -> list[tuple[str, str]]:
    """(name, text) of each comment shown in the section, in page order."""
    return [
        (words(name), words(body))
        for name, body in re.findall(
            r'<span class="comment-author">(.*?)</span>.*?</time></p>(.*?)</li>',
            section_of(html),
            re.S,
        )
    ]


def stored(app, **where) -> list[Comment]:
    with app.app_context():
        comments = db.session.scalars(select(Comment).filter_by(**where).order_by(Comment.id))
        return list(comments)


def add_comments(app, count: int, status=Comment.APPROVED, visitor="someone", start=None):
    """`count` comments numbered 1.., a minute apart, written directly to the database, with
    the film's revision moved on as every writer of comments must (app/core/revision.py)."""
    start = start or utcnow() - timedelta(days=30)
    with app.app_context():
        film_id = db.session.scalar(select(Film.id).where(Film.slug == SLUG))
        db.session.execute(
            insert(Comment),
            [
                {
                    "film_id": film_id,
                    "name": f"Reader {n}",
                    "body": f"Comment number {n}",
                    "visitor": visitor,
                    "status": status,
                    "created_at": start + timedelta(minutes=n),
                }
                for n in range(1, count + 1)
            ],
        )
        db.session.execute(
            update(Tally).where(Tally.film_id == film_id).values(revision=Tally.revision + 1)
        )
        db.session.commit()


def field_error(html: str, field: str) -> str | None:
    """The error shown next to a field (name or comment), checking that it is tied to it."""
    control = re.search(rf'<(?:input|textarea)[^>]*\bname="{field}"[^>]*>', html)
    assert control, f"no {field} field"
    tag = control.group(0)
    if 'aria-invalid="true"' not in tag:
        return None
    errors = re.finditer(
        r'<p class="field-error" id="([^"]+)">([^<]*)</p>', html[: control.start()]
    )
    match = next(reversed(list(errors)), None)
    assert match, f"{field} is marked invalid but has no message"
    error_id = match.group(1)
    assert error_id in re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    # The message belongs to this field: it sits inside the same .field as the control.
    between = html[match.end() : control.start()]
    assert "field-error" not in between and '<div class="field">' not in between
    return htmllib.unescape(match.group(2))


def form_values(html: str) -> tuple[str, str]:
    """What the form's name and comment fields hold."""
    section = section_of(html)
    name = re.search(r'<input[^>]*name="name"[^>]*value="([^"]*)"', section, re.S)
    comment = re.search(r'<textarea[^>]*name="comment"[^>]*>\n(.*?)</textarea>', section, re.S)
    return htmllib.unescape(name.group(1)), htmllib.unescape(comment.group(1))


# -- the section and its form ------------------------------------------------------------


def test_an_empty_section_invites_the_first_comment(client):
    html = section_of(client.get(FILM_URL).get_data(as_text=True))
    assert "Have you seen the Movie? Add your ideas!" in words(html)
    assert "No comments yet. Be the first to share your ideas." in words(html)
    assert "comments-count" not in html and "comment-list" not in html
    assert 'method="post" action="/films/the-way-back/comments"' in html
    assert 'data-hx-post="/films/the-way-back/comments" data-hx-target="#comments"' in html
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert form_values(html) == ("", "")
    assert 'aria-live="polite"' in html


def test_the_honeypot_is_hidden_from_people_and_assistive_tech(app, client):
    html = section_of(client.get(FILM_URL).get_data(as_text=True))
    trap = re.search(r'<div class="field-trap" aria-hidden="true">(.*?)</div>', html, re.S)
    assert trap, "the honeypot sits in an aria-hidden wrapper hidden by a CSS class"
    field = re.search(r'<input[^>]*name="website"[^>]*>', trap.group(1)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert "style=" not in html
    css = (Path(app.static_folder) / "style.css").read_text()
    assert re.search(r"\.field-trap \{[^}]*left: -10000px", css)


def test_post_with_htmx_returns_the_section_with_the_comment_and_a_cleared_form(app, visitor):
    before = section_of(visitor.client.get(FILM_URL).get_data(as_text=True))
    response = post(visitor, name="  Ann Smith ", comment="  Loved it.\r\n\r\nThe walk!  ")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="comments"') and "<html" not in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert POSTED in words(html)
    assert "(1 comment)" in words(html)
    assert "No comments yet" not in html
    assert re.search(r"<p>Loved it.</p>\s*<p>The walk!</p>", html)
    assert listed(html) == [("Ann Smith", "Loved it. The walk!")]
    assert form_values(html) == ("", "")
    # Fresh ids, so that htmx's morph builds new, empty fields instead of keeping the typed ones.
    old_id = re.search(r'<form id="([^"]+)"', before).group(1)
    new_id = re.search(r'<form id="([^"]+)"', html).group(1)
    assert old_id != new_id and 'id="comment-submit"' in html
    [comment] = stored(app)
    assert (comment.name, comment.body, comment.status) == (
        "Ann Smith",
        "Loved it.\n\nThe walk!",
        Comment.APPROVED,
    )
    with visitor.client.session_transaction() as session:
        assert comment.visitor == session["visitor"]


def test_the_date_is_shown_and_machine_readable(app, visitor):
    html = post(visitor).get_data(as_text=True)
    [comment] = stored(app)
    # The site's one date style, the review's own (app/core/text.post_date).
    day = post_date(comment.created_at)
    stamp = comment.created_at.isoformat(timespec="minutes")
    assert f'<time datetime="{stamp}Z">{day}</time>' in html


def test_post_without_javascript_redirects_back_and_thanks_once(app, visitor):
    response = post(visitor, htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{FILM_URL}#comments")
    page = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert POSTED in words(section_of(page))
    assert listed(page) == [("Ann", "A fine film.")]
    again = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert POSTED not in again and listed(again) == [("Ann", "A fine film.")]


def test_comments_show_oldest_first_with_the_count(new_visitor):
    for n in (1, 2, 3):
        html = post(new_visitor(), name=f"Reader {n}", comment=f"Note {n}").get_data(as_text=True)
    assert listed(html) == [("Reader 1", "Note 1"), ("Reader 2", "Note 2"), ("Reader 3", "Note 3")]
    assert "(3 comments)" in words(html)


def test_single_newlines_join_and_blank_lines_split_paragraphs(visitor):
    html = post(visitor, comment="one\ntwo\n\n\n\nthree").get_data(as_text=True)
    assert re.search(r"<p>one two</p>\s*<p>three</p>", html)


@pytest.mark.parametrize(
    "name,comment,field,words",
    [
        ("A\x00nn", "Good film.", "name", "(U+0000) from your name."),
        ("Ann", "Good\x00 film.", "comment", "(U+0000) from your comment."),
        ("Ann\x07", "Good film\x1b.", "name", "(U+0007) from your name."),
    ],
)
def test_a_control_character_is_refused_by_its_field(app, visitor, name, comment, field, words):
    response = post(visitor, name=name, comment=comment)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, field) == f"Please remove the control character {words}"
    assert "\x00" not in html and "\x07" not in html and stored(app) == []


def test_resending_the_same_comment_stores_it_once(app, visitor):
    post(visitor)
    response = post(visitor)
    assert response.status_code == 200 and POSTED in words(response.get_data(as_text=True))
    assert len(stored(app)) == 1
    post(visitor, comment="Another thought.")
    assert len(stored(app)) == 2


def test_unknown_film_is_404(visitor):
    response = visitor.client.post(
        "/films/nope/comments", data={"csrf_token": visitor.token, "name": "A", "comment": "B"}
    )
    assert response.status_code == 404


def test_get_on_the_comments_url_is_405(client):
    response = client.get(COMMENTS_URL)
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


# -- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "comment", "field", "message"),
    [
        ("", "Fine.", "name", "Please enter your name."),
        (" \t ", "Fine.", "name", "Please enter your name."),
        (None, "Fine.", "name", "Please enter your name."),
        (
            "x" * 81,
            "Fine.",
            "name",
            "Please keep your name to 80 characters or fewer; this one has 81.",
        ),
        ("Ann", "", "comment", "Please write a comment."),
        ("Ann", " \r\n\r\n ", "comment", "Please write a comment."),
        ("Ann", None, "comment", "Please write a comment."),
        (
            "Ann",
            "y" * 5001,
            "comment",
            "Please keep your comment to 5,000 characters or fewer; this one has 5001.",
        ),
    ],
)
def test_refused_comment_gets_422_with_the_message_by_the_field(
    app, visitor, name, comment, field, message
):
    response = post(visitor, name=name, comment=comment)
    assert response.status_code == 422
    html = section_of(response.get_data(as_text=True))
    assert NOT_SAVED in words(html)
    assert field_error(html, field) == message
    assert field_error(html, "comment" if field == "name" else "name") is None
    # Focus goes to the field to correct.
    control = re.search(rf'<(?:input|textarea)[^>]*name="{field}"[^>]*>', html).group(0)
    assert " autofocus" in control
    assert html.count(" autofocus") == 1
    assert POSTED not in html and stored(app) == []


def test_both_fields_wrong_marks_both_and_focuses_the_first(visitor):
    html = post(visitor, name="", comment="   ").get_data(as_text=True)
    assert field_error(html, "name") == "Please enter your name."
    assert field_error(html, "comment") == "Please write a comment."
    assert re.search(r'<input[^>]*name="name"[^>]*autofocus', html)
    assert html.count(" autofocus") == 1


def test_a_refused_comment_keeps_the_visitors_text(visitor):
    text = 'My <b>long</b> & "quoted" thoughts\n\nin two paragraphs. ' + "z" * 5000
    html = post(visitor, name="  Ann  ", comment=text).get_data(as_text=True)
    assert form_values(html) == ("Ann", text.strip())
    html = post(visitor, name="N" * 90, comment="Short.").get_data(as_text=True)
    assert form_values(html) == ("N" * 90, "Short.")


def test_a_refused_comment_without_javascript_shows_the_page_with_the_errors(app, visitor):
    response = post(visitor, name="", comment="Still here.", htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html and "Please Rate this Movie!" in html
    assert field_error(section_of(html), "name") == "Please enter your name."
    assert form_values(html) == ("", "Still here.")
    assert stored(app) == []


@pytest.mark.parametrize(
    ("name", "comment"),
    [
        ("A", "B"),
        ("x" * 80, "y" * 5000),
        (" " + "x" * 80 + " \n", "\n\t" + "y" * 5000 + "  \r\n"),
        ("Zoë Ünïcødé ✓", "Ça marche — très bien 🎬"),
    ],
)
def test_the_limits_are_inclusive_and_count_after_trimming(app, visitor, name, comment):
    response = post(visitor, name=name, comment=comment)
    assert response.status_code == 200, words(response.get_data(as_text=True))
    [row] = stored(app)
    assert (row.name, row.body) == (name.strip(), comment.strip())


# -- refusals from outside the form ---------------------------------------------------


def test_missing_csrf_token_is_400_in_the_section_with_the_text_kept(app, visitor):
    response = visitor.client.post(
        COMMENTS_URL, data={"name": "Ann", "comment": "Keep me."}, headers=HTMX
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="comments"')
    assert "This form has expired. Reload the page and try again." in words(html)
    assert form_values(html) == ("Ann", "Keep me.")
    assert stored(app) == []


def test_missing_csrf_token_without_javascript_is_the_page_with_the_error(app, visitor):
    response = visitor.client.post(COMMENTS_URL, data={"name": "Ann", "comment": "Keep me."})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<html" in html and "This form has expired" in section_of(html)
    assert form_values(html) == ("Ann", "Keep me.")


def test_oversized_body_is_413_and_stores_nothing(app, visitor):
    response = post(visitor, comment="x" * 100_000)
    assert response.status_code == 413
    html = section_of(response.get_data(as_text=True))
    assert "far more than a rating or a comment" in words(html)
    # The same form ids: htmx's morph leaves what the visitor typed in the fields.
    assert '<form id="comment-form" ' in html
    assert stored(app) == []


def test_a_fourth_comment_in_a_minute_is_429_with_the_text_kept(app, visitor):
    for n in range(3):
        assert post(visitor, comment=f"Thought {n}").status_code == 200
    response = post(visitor, name="Ann", comment="Patience.")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="comments"')
    assert "You have posted a lot in a short time. Your comment is still here" in words(html)
    assert form_values(html) == ("Ann", "Patience.")
    assert len(listed(html)) == 3 and len(stored(app)) == 3
    page = post(visitor, name="Ann", comment="Patience.", htmx=False)
    assert page.status_code == 429 and "<html" in page.get_data(as_text=True)
    assert form_values(page.get_data(as_text=True)) == ("Ann", "Patience.")
    assert len(stored(app)) == 3


def test_another_visitor_can_still_comment(new_visitor):
    first = new_visitor()
    for n in range(3):
        post(first, comment=f"Thought {n}")
    assert post(first, comment="One more").status_code == 429
    assert post(new_visitor(), comment="My first").status_code == 200


# -- spam ------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False])
def test_a_filled_honeypot_is_told_it_is_held_and_nothing_is_stored(app, visitor, htmx):
    response = post(visitor, comment="Buy now", website="http://spam.example", htmx=htmx)
    if htmx:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    else:
        assert response.status_code == 303
        html = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert HELD in words(html)
    assert listed(html) == []
    assert stored(app) == []


def test_a_filled_honeypot_wins_over_validation(app, visitor):
    response = post(visitor, name="", comment="", website="x")
    assert response.status_code == 200 and HELD in words(response.get_data(as_text=True))
    assert stored(app) == []


def test_two_links_are_fine_and_never_clickable(app, visitor):
    text = "See https://example.com/a and www.example.org for more."
    html = post(visitor, comment=text).get_data(as_text=True)
    assert POSTED in words(html) and listed(html) == [("Ann", text)]
    assert "<a " not in section_of(html).split('<ol class="comment-list">')[1]


@pytest.mark.parametrize(
    "text",
    [
        "https://a.example http://b.example https://c.example",
        "www.a.example www.b.example ftp://c.example",
        'Nice! <a href="http://a.example">1</a> [url=http://b.example]2[/url] https://c.example',
    ],
)
def test_more_than_two_links_are_held_and_not_shown(app, visitor, text):
    html = post(visitor, comment=text).get_data(as_text=True)
    assert HELD in words(html) and POSTED not in html
    assert listed(html) == [] and "comments-count" not in html
    assert [c.status for c in stored(app)] == [Comment.PENDING]
    page = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert listed(page) == [] and "No comments yet" in page


def test_links_in_the_name_count_too(app, visitor):
    post(visitor, name="https://a.example", comment="https://b.example https://c.example")
    assert [c.status for c in stored(app)] == [Comment.PENDING]


def test_a_held_comment_shows_once_approved(app, visitor, runner):
    post(visitor, comment="https://a.example https://b.example https://c.example")
    [held] = stored(app)
    assert listed(visitor.client.get(FILM_URL).get_data(as_text=True)) == []
    assert runner.invoke(args=["comments", "approve", str(held.id)]).exit_code == 0
    page = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert listed(page) == [("Ann", "https://a.example https://b.example https://c.example")]


# -- escaping --------------------------------------------------------------------------


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert(1)\" onclick='alert(2)'>click</a>",
    "javascript:alert(document.cookie)",
    "{{ 7 * 7 }} {% raw %}",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_shown_as_text(visitor, hostile):
    html = post(visitor, name=hostile[:80], comment=f"Before\n\n{hostile}").get_data(as_text=True)
    section = section_of(html)
    assert listed(html) == [(hostile[:80], f"Before {hostile}")]
    listing = section.split('<ol class="comment-list">')[1].split("</ol>")[0]
    assert "<script" not in listing and "<img" not in listing and "<a " not in listing
    assert "onerror=alert" not in listing.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in section
    # {{ 7 * 7 }} was not evaluated (dates are left out: a time of day can hold a 49).
    assert "49" not in re.sub(r"<time[^>]*>.*?</time>", "", listing, flags=re.S)
    page = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert listed(page) == [(hostile[:80], f"Before {hostile}")]


def test_hostile_text_kept_in_a_refused_form_is_escaped(visitor):
    hostile = '</textarea><script>alert(1)</script>"'
    html = post(visitor, name='"><script>x</script>' + "n" * 80, comment=hostile).get_data(
        as_text=True
    )
    assert "<script>" not in html
    assert form_values(html) == ('"><script>x</script>' + "n" * 80, hostile)


# -- stars -----------------------------------------------------------------------------


def stars_of(html: str) -> list[int | None]:
    """The stars shown beside each comment (None where there are none)."""
    return [
        int(stars) if stars else None
        for stars in re.findall(
            r'<li class="comment".*?(?:rated it (\d) out of 5.*?)?</li>', section_of(html), re.S
        )
    ]


def test_a_raters_comment_shows_their_current_stars(visitor, new_visitor):
    visitor.vote("4")
    html = post(visitor, name="Rater").get_data(as_text=True)
    assert stars_of(html) == [4]
    assert '<span aria-hidden="true">★★★★☆</span>' in html
    post(new_visitor(), name="Reader")
    visitor.vote("2")
    page = visitor.client.get(FILM_URL).get_data(as_text=True)
    assert stars_of(page) == [2, None]
    visitor.remove()
    assert stars_of(visitor.client.get(FILM_URL).get_data(as_text=True)) == [None, None]


def test_stars_follow_a_change_that_leaves_the_films_numbers_as_they_were(new_visitor):
    poster, other = new_visitor(), new_visitor()
    poster.vote("4")
    other.vote("2")
    post(poster, name="Poster")
    assert stars_of(poster.client.get(FILM_URL).get_data(as_text=True)) == [4]
    poster.vote("2")
    other.vote("4")  # the film's per-star counts are back to what they were
    assert stars_of(other.client.get(FILM_URL).get_data(as_text=True)) == [2]


def test_each_comment_shows_its_own_posters_stars(new_visitor):
    for n, stars in enumerate(["5", None, "1"]):
        someone = new_visitor()
        if stars:
            someone.vote(stars)
        html = post(someone, name=f"Reader {n}").get_data(as_text=True)
    assert stars_of(html) == [5, None, 1]


# -- pages and queries -----------------------------------------------------------------


@pytest.fixture
def three_per_page(app):
    app.config["COMMENTS_PER_PAGE"] = 3
    add_comments(app, 7)


def names(html: str) -> list[str]:
    return [name for name, _ in listed(html)]


def links(html: str) -> dict[str, str]:
    return {
        text: htmllib.unescape(href)
        for href, text in re.findall(
            r'<p class="comments-nav"><a href="([^"]+)">([^<]+)</a></p>', section_of(html)
        )
    }


def test_the_page_shows_the_latest_comments_oldest_first_with_a_link_to_older(
    client, three_per_page
):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert names(html) == ["Reader 5", "Reader 6", "Reader 7"]
    assert "(7 comments)" in words(html)
    assert "Comments 5–7 of 7, oldest first." in words(html)
    assert links(html) == {"Older comments": f"{FILM_URL}?comments_page=2#comments"}


def test_older_pages_link_both_ways(client, three_per_page):
    html = client.get(f"{FILM_URL}?comments_page=2").get_data(as_text=True)
    assert names(html) == ["Reader 2", "Reader 3", "Reader 4"]
    assert "Comments 2–4 of 7, oldest first." in words(html)
    assert links(html) == {
        "Older comments": f"{FILM_URL}?comments_page=3#comments",
        "Newer comments": f"{FILM_URL}#comments",
    }
    last = client.get(f"{FILM_URL}?comments_page=3").get_data(as_text=True)
    assert names(last) == ["Reader 1"]
    assert links(last) == {"Newer comments": f"{FILM_URL}?comments_page=2#comments"}


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 1), ("-4", 1), ("abc", 1)])
def test_pages_out_of_range_show_the_nearest(client, three_per_page, asked, shown):
    html = client.get(f"{FILM_URL}?comments_page={asked}").get_data(as_text=True)
    expected = client.get(f"{FILM_URL}?comments_page={shown}").get_data(as_text=True)
    assert names(html) == names(expected)


def test_a_new_comment_answers_with_the_latest_page(app, visitor, three_per_page):
    html = post(visitor, name="Newest").get_data(as_text=True)
    assert names(html) == ["Reader 6", "Reader 7", "Newest"]
    assert "(8 comments)" in words(html)


def test_thousands_are_counted_with_a_separator(app, client):
    add_comments(app, 1234)
    html = client.get(FILM_URL).get_data(as_text=True)
    assert "(1,234 comments)" in words(html)
    assert len(listed(html)) == app.config["COMMENTS_PER_PAGE"] == 50
    assert "Comments 1,185–1,234 of 1,234, oldest first." in words(html)


def count_queries(app, client, url: str) -> tuple[int, list[str]]:
    statements = []

    def record(_conn, _cursor, statement, *_):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    return len(selects), selects


def test_the_film_page_reads_comments_in_two_bounded_queries(app, client, new_visitor):
    client.get(FILM_URL)  # the first view of a film version also renders it (app/films/pages.py)
    new_visitor().vote("3")  # the page's comments are read anew after each change
    empty, _ = count_queries(app, client, FILM_URL)
    for stars in "12345":
        rater = new_visitor()
        rater.vote(stars)
        post(rater)
    add_comments(app, 300)
    full, selects = count_queries(app, client, FILM_URL)
    assert full == empty
    comment_queries = [s for s in selects if "comments" in s]
    assert len(comment_queries) == 2
    assert any("LIMIT" in s for s in comment_queries)
    # Until the next change, the rendered comments are kept: the page is its one lookup.
    unchanged, selects = count_queries(app, client, FILM_URL)
    assert unchanged == 1 and "comments" not in selects[0]


# -- moderation from the command line --------------------------------------------------


def test_cli_lists_comments_and_pending_ones(app, runner, visitor):
    assert runner.invoke(args=["comments", "list"]).output.strip() == "no comments"
    post(visitor, name="Ann", comment="Fine film.")
    post(visitor, name="Spammer", comment="http://a.x http://b.x http://c.x")
    result = runner.invoke(args=["comments", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert re.fullmatch(
        r"1\tapproved\tthe-way-back\t\d{4}-\d\d-\d\d \d\d:\d\d\tAnn: Fine film\.", lines[0]
    )
    assert lines[1].startswith("2\tpending\tthe-way-back\t") and "Spammer: http://a.x" in lines[1]
    assert lines[2] == "2 comments"
    pending = runner.invoke(args=["comments", "list", "--pending"]).output.strip().splitlines()
    assert [line.split("\t")[0] for line in pending[:-1]] == ["2"]
    assert pending[-1] == "1 pending comment"


def test_cli_list_by_film(app, runner, visitor):
    post(visitor)
    result = runner.invoke(args=["comments", "list", "--film", SLUG])
    assert result.exit_code == 0 and result.output.startswith("1\tapproved\tthe-way-back")
    unknown = runner.invoke(args=["comments", "list", "--film", "nope"])
    assert unknown.exit_code == 1 and "no film with slug 'nope'" in unknown.output


def test_cli_list_shortens_long_text_to_one_line(runner, visitor):
    post(visitor, comment="word " * 40 + "\n\nlast")
    line = runner.invoke(args=["comments", "list"]).output.splitlines()[0]
    assert line.endswith("…") and len(line.split(": ", 1)[1]) == 70


def test_cli_approve(app, runner, visitor):
    post(visitor, comment="http://a.x http://b.x http://c.x")
    post(visitor, comment="Plain.")
    result = runner.invoke(args=["comments", "approve", "1", "2"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["1: approved", "2: already approved"]
    assert [c.status for c in stored(app)] == [Comment.APPROVED, Comment.APPROVED]


def test_cli_delete(app, runner, visitor):
    post(visitor, comment="One.")
    post(visitor, comment="Two.")
    result = runner.invoke(args=["comments", "delete", "2"])
    assert result.exit_code == 0 and result.output.strip() == "2: deleted"
    assert [c.body for c in stored(app)] == ["One."]
    assert listed(visitor.client.get(FILM_URL).get_data(as_text=True)) == [("Ann", "One.")]


def test_a_page_already_shown_loses_a_deleted_comment(app, runner, visitor):
    post(visitor, comment="One.")
    post(visitor, comment="Two.")
    assert len(listed(visitor.client.get(FILM_URL).get_data(as_text=True))) == 2
    assert runner.invoke(args=["comments", "delete", "2"]).exit_code == 0
    assert listed(visitor.client.get(FILM_URL).get_data(as_text=True)) == [("Ann", "One.")]


@pytest.mark.parametrize("command", ["approve", "delete"])
def test_cli_unknown_ids_are_an_error_and_change_nothing(app, runner, visitor, command):
    post(visitor, comment="http://a.x http://b.x http://c.x")
    result = runner.invoke(args=["comments", command, "1", "41", "42"])
    assert result.exit_code == 1
    assert "no comment with id 41, 42; nothing was changed" in result.output
    assert [c.status for c in stored(app)] == [Comment.PENDING]


@pytest.mark.parametrize("args", [["approve"], ["delete"], ["approve", "one"]])
def test_cli_ids_are_required_whole_numbers(runner, args):
    result = runner.invoke(args=["comments", *args])
    assert result.exit_code == 2


def test_the_section_states_the_limits_the_form_and_posting_apply(client):
    html = client.get(FILM_URL).get_data(as_text=True)
    assert f'maxlength="{NAME_MAX}"' in html
    assert f"up to {BODY_MAX:,} characters" in html
    assert f"a comment with more than {in_words(LINKS_ALLOWED)} waits" in html
    assert (in_words(2), in_words(5000), in_words(12)) == ("two", "5,000", "12")


def test_the_count_and_the_page_of_comments_read_their_index_alone(app, client):
    """The count of the comments that are no reply, and their page, come from the index on
    (film_id, status, parent_id, created_at): the count never reads the table's rows."""
    add_comments(app, 30)
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(FILM_URL).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    [count] = [s for s in statements if "count(" in s[0] and "FROM comments" in s[0]]
    [page] = [s for s in statements if "page_ids" in s[0]]
    index = "ix_comments_film_id_status_parent_id_created_at"
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # VACUUM sets the visibility map: without it an index-only scan costs heap visits
            # too, and the planner may as well take the parent_id index and filter.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("VACUUM ANALYZE comments")
            connection.exec_driver_sql("SET enable_seqscan = off")
            explain = connection.exec_driver_sql
            assert f"Index Only Scan using {index}" in str(
                explain("EXPLAIN " + count[0], count[1]).all()
            )
            assert index in str(explain("EXPLAIN " + page[0], page[1]).all())
            return
        plans = [
            " | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p))
            for s, p in (count, page)
        ]
    assert f"USING COVERING INDEX {index}" in plans[0], plans[0]
    assert f"USING COVERING INDEX {index}" in plans[1], plans[1]
