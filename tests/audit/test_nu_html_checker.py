"""The W3C Nu HTML Checker (vnu.jar) finds no error in any page or fragment the site serves.

Fragments (the rating block, error messages) are what htmx puts inside <body>, so each is
checked inside a minimal document that holds it in <body>: the wrapper is valid on its own, and
any error found is in the fragment.
"""

import io
import json
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.extensions import db
from app.models import Film, utcnow
from tests.helpers import (
    FILM_URL,
    HTMX,
    RATING_URL,
    SLUG,
    Visitor,
    add_films,
    csrf_token,
    next_link,
)
from tests.posters import add_poster_film
from tests.test_review import score


def owner_scored(app):
    """The demo film scored by its owner, a spoiler and a table at the end of its review."""
    score(app, 9, "A long, hard walk.")
    with app.app_context():
        # By slug: PostgreSQL returns rows in no set order, and score() just moved this one.
        film = db.session.scalar(db.select(Film).where(Film.slug == SLUG))
        film.body += (
            "\n\n| Part | Where |\n|---|---|\n| 1 | Siberia |\n\n```spoiler\nThey arrive.\n```"
        )
        film.updated_at = utcnow()
        db.session.commit()


VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
WRAPPER = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fragment</title></head>'
    "<body>{}</body></html>"
)


def nu_messages(documents: dict[str, str], tmp_path) -> dict[str, list[dict]]:
    """Run vnu.jar once over the documents; its messages by document name."""
    assert VNU.is_file(), f"{VNU} is missing: `make test` installs it (npm ci)"
    for name, html in documents.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--also-check-svg",
            *map(str, tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stderr)
    found = {name: [] for name in documents}
    for message in report["messages"]:
        found[Path(message["url"]).stem].append(message)
    return found


def serve(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


@pytest.fixture
def documents(app, client, new_visitor):
    """Every kind of page and fragment the site answers with, in each state."""
    poster_film = add_poster_film(app)
    add_films(app, [(0, 0, 0, 0, 0)] * 24 + [(0, 0, 1, 2, 3)])
    docs = {
        "home": serve(client, "/"),
        "film-with-poster": serve(client, poster_film),
        "home-page-2": serve(client, "/?page=2", follow_redirects=True),
        "search": serve(client, "/search?q=weir"),
        "search-hint": serve(client, "/search"),
        "search-none": serve(client, "/search?q=xyzzy"),
        "search-refused": serve(client, "/search?q=%00", status=400),
        "search-fragment": WRAPPER.format(serve(client, "/search?q=way", headers=HTMX)),
        "search-refused-fragment": WRAPPER.format(
            serve(client, "/search?q=%07", status=400, headers=HTMX)
        ),
        "person": serve(client, "/people/peter-weir"),
        "genre": serve(client, "/genres/drama"),
        "year": serve(client, "/years/2010"),
        "reviews": serve(client, "/reviews"),
        "genres": serve(client, "/genres"),
        "years": serve(client, "/years"),
        "about": serve(client, "/about"),
        "film-before-vote": serve(client, FILM_URL),
        "rating-fragment": WRAPPER.format(serve(client, RATING_URL, headers=HTMX)),
        "not-found": serve(client, "/nowhere", status=404),
        "not-found-fragment": WRAPPER.format(
            serve(client, "/films/nowhere/rating", status=404, headers=HTMX)
        ),
        "method-not-allowed": client.delete(FILM_URL).get_data(as_text=True),
    }
    docs["reviews-page-2"] = serve(client, next_link(docs["reviews"]))
    owner_scored(app)
    docs["film-owner-scored"] = serve(client, FILM_URL)
    assert "Our verdict" in docs["film-owner-scored"]
    assert "<details" in docs["film-owner-scored"]
    visitor = Visitor(app.test_client())
    docs["vote-fragment"] = WRAPPER.format(visitor.vote("4").get_data(as_text=True))
    docs["film-after-vote"] = serve(visitor.client, FILM_URL)
    docs["bad-vote-fragment"] = WRAPPER.format(visitor.vote("9").get_data(as_text=True))
    docs["bad-vote-page"] = visitor.vote("9", htmx=False).get_data(as_text=True)
    docs["removed-fragment"] = WRAPPER.format(visitor.remove().get_data(as_text=True))
    # A film from a blog: no year, no credits, the blog's vote totals beside none cast here.
    blog = Path(__file__).parents[1] / "fixtures" / "wordpress" / "blog.xml"
    assert app.test_cli_runner().invoke(args=["wordpress", "import", str(blog)]).exit_code == 0
    docs["film-imported"] = serve(client, "/films/the-way-back-gulag")
    docs["about-imported"] = serve(client, "/about")
    return docs


@pytest.fixture
def admin_documents(app, owner, client):
    """Every admin page and fragment, signed in, with a held comment and votes to show."""
    from tests.admin.test_comments_admin import held_comment
    from tests.admin.test_votes_admin import cast, window

    comment_id = held_comment(app)
    cast(app, 2, 3, "burst")
    votes = f"/admin/films/{SLUG}/votes"
    bad_film = {"title": "", "slug": "Bad Slug", "year": "x"}
    preview = {"body": "## Seen\n\n*Fine*, | a | b |\n\n```spoiler\nIt ends.\n```"}
    docs = {
        "admin-sign-in": serve(client, "/admin/sign-in"),
        "admin-sign-in-refused": client.post(
            "/admin/sign-in",
            data={"csrf_token": csrf_token(serve(client, "/admin/sign-in")), "email": "a@b.c"},
        ).get_data(as_text=True),
        "admin-signed-out-fragment": WRAPPER.format(
            client.get("/admin/comments", headers=HTMX).get_data(as_text=True)
        ),
        "admin-comments": serve(owner.client, "/admin/comments"),
        "admin-films": serve(owner.client, "/admin/films?q=way"),
        "admin-films-by-status": serve(owner.client, "/admin/films?status=draft"),
        "admin-films-bad-status": serve(owner.client, "/admin/films?status=x", status=400),
        "admin-films-control-character": serve(owner.client, "/admin/films?q=a%00b", status=400),
        "admin-film-new": serve(owner.client, "/admin/new-film"),
        "admin-film-edit": serve(owner.client, f"/admin/films/{SLUG}"),
        "admin-film-errors": owner.post("/admin/new-film", bad_film).get_data(as_text=True),
        "admin-film-errors-fragment": WRAPPER.format(
            owner.post("/admin/new-film", bad_film, htmx=True).get_data(as_text=True)
        ),
        "admin-poster-refused": owner.post(
            f"/admin/films/{SLUG}/poster",
            {"poster": (io.BytesIO(b"<svg></svg>"), "poster.svg")},
            content_type="multipart/form-data",
        ).get_data(as_text=True),
        "admin-votes": serve(owner.client, votes),
        "admin-film-preview": owner.post(f"/admin/films/{SLUG}/body-preview", preview).get_data(
            as_text=True
        ),
        "admin-preview-fragment": WRAPPER.format(
            owner.post("/admin/new-film/body-preview", preview, htmx=True).get_data(as_text=True)
        ),
        "admin-preview-refused-fragment": WRAPPER.format(
            owner.post(
                "/admin/new-film/body-preview", {"body": "[x](javascript:x)"}, htmx=True
            ).get_data(as_text=True)
        ),
        "admin-profile": serve(owner.client, "/admin/profile"),
        "admin-profile-refused": owner.post("/admin/profile", {"display_name": "x" * 200}).get_data(
            as_text=True
        ),
        "admin-about": serve(owner.client, "/admin/about"),
        "admin-about-refused": owner.post("/admin/about", {"title": ""}).get_data(as_text=True),
        "admin-redirects": serve(owner.client, "/admin/redirects"),
        "admin-films-incomplete": serve(owner.client, "/admin/films?incomplete=1"),
        "admin-votes-confirm": serve(owner.client, f"{votes}/burst?" + urlencode(window(5, 0))),
    }
    draft = {"title": "A Draft", "year": "2023", "published": "2024-03-01"}
    draft |= {"body": "Not public yet.", "credits.director": "Somebody"}
    assert owner.post("/admin/new-film", draft).status_code == 303
    docs["admin-draft-preview"] = serve(owner.client, "/admin/films/a-draft/preview")
    docs |= reply_documents(app, owner, client)
    approved = owner.post(f"/admin/comments/{comment_id}/approve", htmx=True)
    docs["admin-comment-row"] = WRAPPER.format(
        f'<form id="bulk"></form><ol>{approved.get_data(as_text=True)}</ol>'
    )
    deleted = owner.post(f"/admin/comments/{comment_id}/delete", htmx=True)
    docs["admin-comment-deleted"] = WRAPPER.format(
        f'<form id="bulk"></form><ol>{deleted.get_data(as_text=True)}</ol>'
    )
    return docs


def reply_documents(app, owner, client):
    """A comment with the author's reply, as visitors and as the owner see it, and a reply's
    answers: in place, refused in place, refused without JavaScript, in the queue."""
    from tests.test_replies import reply_url, shown_comment

    comment_id = shown_comment(app)
    url = reply_url(comment_id)
    answer = owner.post(url, {"reply": "It was.", "back": "page"}, htmx=True)
    refused = owner.post(url, {"reply": " ", "back": "page"}, htmx=True)
    in_queue = owner.post(url, {"reply": "Noted.", "back": "queue"}, htmx=True)
    assert (answer.status_code, refused.status_code, in_queue.status_code) == (200, 422, 200)
    return {
        "film-with-reply": serve(client, FILM_URL),
        "film-owner-replying": serve(owner.client, FILM_URL),
        "reply-fragment": WRAPPER.format(f"<ol>{answer.get_data(as_text=True)}</ol>"),
        "reply-refused-fragment": WRAPPER.format(f"<ol>{refused.get_data(as_text=True)}</ol>"),
        "admin-reply-refused": owner.post(url, {"reply": " "}).get_data(as_text=True),
        "admin-reply-row": WRAPPER.format(
            f'<form id="bulk"></form><ol>{in_queue.get_data(as_text=True)}</ol>'
        ),
        "admin-comments-replying": serve(owner.client, "/admin/comments"),
    }


def test_every_admin_page_and_fragment_has_no_errors(admin_documents, tmp_path):
    found = nu_messages(admin_documents, tmp_path)
    errors = {
        name: [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
        for name, messages in found.items()
    }
    assert errors == {name: [] for name in admin_documents}


def test_every_page_and_fragment_has_no_errors(documents, tmp_path):
    found = nu_messages(documents, tmp_path)
    errors = {
        name: [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
        for name, messages in found.items()
    }
    assert errors == {name: [] for name in documents}


def test_the_checker_reports_an_error_when_there_is_one(tmp_path):
    found = nu_messages({"broken": WRAPPER.format("<p><div>block in a paragraph</p>")}, tmp_path)
    assert any(m["type"] == "error" for m in found["broken"])
