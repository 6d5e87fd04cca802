"""Owners' replies: a signed-in owner answers a shown comment on the film page or from the
queue; the reply is shown at once under it, marked as the author's, one level deep; anything
else is refused beside the reply box with nothing saved; visitors never see a reply form."""

import re

import pytest
from sqlalchemy import func, select, update

from app.comments import posting
from app.extensions import db
from app.models import Comment, Film, User
from tests.admin.helpers import text_of
from tests.admin.test_comments_admin import held_comment
from tests.helpers import FILM_URL, HTMX, SLUG, add_films

REPLY_FORM = 'class="reply-form"'


def shown_comment(app, name="Ann", body="Was the walk real?") -> int:
    with app.app_context():
        film_id = db.session.scalar(select(Film.id).where(Film.slug == SLUG))
        assert posting.post(film_id, f"visitor-{name}", name, body) == Comment.APPROVED
        return db.session.scalar(select(func.max(Comment.id)))


def reply_url(comment_id: int, slug: str = SLUG) -> str:
    return f"/admin/films/{slug}/comments/{comment_id}/reply"


def replies(app) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).where(Comment.parent_id.is_not(None))))


@pytest.fixture
def named_owner(app, owner):
    with app.app_context():
        db.session.execute(update(User).values(display_name="Mira Reviewer"))
        db.session.commit()
    return owner


def test_only_a_signed_in_owner_gets_reply_forms_and_visitors_keep_the_kept_page(
    app, named_owner, client
):
    comment_id = shown_comment(app)
    assert REPLY_FORM not in client.get(FILM_URL).get_data(as_text=True)
    page = named_owner.get(FILM_URL).get_data(as_text=True)
    assert page.count(REPLY_FORM) == 1
    assert f'action="{reply_url(comment_id)}"' in page and 'name="back" value="page"' in page
    # The owner's page is never the one kept for visitors, before or after.
    assert REPLY_FORM not in client.get(FILM_URL).get_data(as_text=True)
    named_owner.post("/admin/sign-out")
    assert REPLY_FORM not in named_owner.get(FILM_URL).get_data(as_text=True)


def test_a_reply_from_the_page_is_shown_at_once_under_its_comment(app, named_owner, client):
    comment_id = shown_comment(app)
    client.get(FILM_URL)  # the visitors' page is now kept
    response = named_owner.post(
        reply_url(comment_id), {"reply": "  It was.  ", "back": "page"}, htmx=True
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="comment" id="comment-{comment_id}">')
    assert "Mira Reviewer Author" in text_of(response) and "<p>It was.</p>" in html
    (reply,) = replies(app)
    assert (reply.parent_id, reply.status, reply.body) == (comment_id, Comment.APPROVED, "It was.")
    with app.app_context():
        assert reply.author_id == db.session.scalar(select(User.id))
    # Visitors see it nested under the comment, marked, at once; it is no comment of its own.
    page = client.get(FILM_URL).get_data(as_text=True)
    thread = page[page.index(f'id="comment-{comment_id}"') :]
    thread = thread[: thread.index('<div id="comments-status"')]
    assert '<ol class="comment-replies">' in thread and "It was." in thread
    assert '<strong class="author-mark">Author</strong>' in thread
    assert "(1 comment)" in page and REPLY_FORM not in page
    # Sent again (a double click): stored once.
    named_owner.post(reply_url(comment_id), {"reply": "It was.", "back": "page"}, htmx=True)
    assert len(replies(app)) == 1


def test_without_javascript_a_reply_gets_a_303_back_to_its_comment(app, named_owner):
    comment_id = shown_comment(app)
    response = named_owner.post(reply_url(comment_id), {"reply": "Thanks!", "back": "page"})
    assert response.status_code == 303
    assert response.location == f"{FILM_URL}#comment-{comment_id}"
    refused = named_owner.post(reply_url(comment_id), {"reply": " ", "back": "page"})
    assert refused.status_code == 422 and "Please write a reply." in text_of(refused)
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert len(replies(app)) == 1


def refused(app, owner, url, words, **fields):
    before = len(replies(app))
    sent = {"reply": "An answer.", "back": "page", **fields}
    for htmx in (True, False):
        response = owner.post(url, sent, htmx=htmx)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, url
        assert re.search(r'<p class="field-error" id="reply-(page|queue)-\d+-error">', html)
        assert words in html and sent["reply"] in html  # kept to be corrected
    assert len(replies(app)) == before


def test_a_reply_to_a_reply_a_held_comment_or_another_films_comment_is_refused(app, named_owner):
    comment_id = shown_comment(app)
    named_owner.post(reply_url(comment_id), {"reply": "First.", "back": "page"})
    (reply,) = replies(app)
    refused(app, named_owner, reply_url(reply.id), "Replies go one level deep")
    refused(app, named_owner, reply_url(held_comment(app)), "held for moderation")
    (other,) = add_films(app, [(0, 0, 0, 0, 0)])
    refused(app, named_owner, reply_url(comment_id, other), "on another film&#39;s page")
    refused(app, named_owner, reply_url(comment_id), "5,000 characters", reply="x" * 5001)
    assert named_owner.post(reply_url(9999), {"reply": "Hello"}).status_code == 404


def test_a_reply_from_the_queue_updates_its_row(app, named_owner):
    comment_id = shown_comment(app)
    queue = named_owner.get("/admin/comments").get_data(as_text=True)
    assert 'name="back" value="queue"' in queue
    assert f'data-hx-target="#comment-row-{comment_id}"' in queue
    response = named_owner.post(
        reply_url(comment_id), {"reply": "Noted.", "back": "queue"}, htmx=True
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="admin-row" id="comment-row-{comment_id}">')
    assert "Mira Reviewer Author Noted." in text_of(response)
    plain = named_owner.post(reply_url(comment_id), {"reply": "Again.", "back": "queue"})
    assert plain.status_code == 303 and plain.location == "/admin/comments"
    # A held comment's row offers no reply until it is approved.
    held = held_comment(app)
    row = named_owner.get("/admin/comments").get_data(as_text=True)
    row = row[row.index(f'id="comment-row-{held}"') :]
    assert REPLY_FORM not in row[: row.index("</li>")]


def test_nobody_but_a_signed_in_owner_replies(app, client, visitor, owner):
    comment_id = shown_comment(app)
    data = {"csrf_token": visitor.token, "reply": "Spoof."}
    plain = client.post(reply_url(comment_id), data=data)
    assert plain.status_code == 303 and "/admin/sign-in" in plain.location
    assert client.post(reply_url(comment_id), data=data, headers=HTMX).status_code == 401
    without_token = owner.client.post(reply_url(comment_id), data={"reply": "No token."})
    assert without_token.status_code == 400
    assert replies(app) == []


def test_a_reply_in_a_drafts_preview_leads_back_to_the_preview(app, owner):
    comment_id = shown_comment(app)
    with app.app_context():
        db.session.execute(update(Film).values(is_published=False))
        db.session.commit()
    preview = owner.get(f"/admin/films/{SLUG}/preview").get_data(as_text=True)
    assert f'action="{reply_url(comment_id)}"' in preview
    response = owner.post(reply_url(comment_id), {"reply": "Soon.", "back": "page"})
    assert response.status_code == 303
    assert response.location == f"/admin/films/{SLUG}/preview#comment-{comment_id}"
    assert "Soon." in owner.get(f"/admin/films/{SLUG}/preview").get_data(as_text=True)
