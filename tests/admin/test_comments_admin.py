"""The comments queue: held first, one-click approve and delete in place, and in bulk."""

from sqlalchemy import select

from app.comments import posting
from app.extensions import db
from app.models import Comment, Film
from tests.helpers import FILM_URL, SLUG

SPAM = "see http://a.example http://b.example http://c.example"


def held_comment(app, name="Held Person", body=SPAM) -> int:
    with app.app_context():
        film_id = db.session.scalar(select(Film.id).where(Film.slug == SLUG))
        assert posting.post(film_id, f"visitor-{name}", name, body) == Comment.PENDING
        return db.session.scalar(select(Comment.id).where(Comment.name == name))


def status_of(app, comment_id):
    with app.app_context():
        return db.session.scalar(select(Comment.status).where(Comment.id == comment_id))


def test_held_comments_come_first(app, owner, client):
    shown = posting.post
    with app.app_context():
        film_id = db.session.scalar(select(Film.id))
        shown(film_id, "v1", "Shown Person", "A fine film.")
    held = held_comment(app)
    page = owner.get("/admin/comments").get_data(as_text=True)
    assert page.index(f'id="comment-row-{held}"') < page.index("Shown Person")
    assert "Held for moderation (1)" in page


def test_approve_in_place_shows_it_on_the_film_page_at_once(app, owner, client):
    comment_id = held_comment(app)
    assert "Held Person" not in client.get(FILM_URL).get_data(as_text=True)
    response = owner.post(f"/admin/comments/{comment_id}/approve", htmx=True)
    assert response.status_code == 200
    row = response.get_data(as_text=True).strip()
    assert row.startswith(f'<li class="admin-row" id="comment-row-{comment_id}">')
    assert "Shown" in row and "Approve" not in row and "<html" not in row
    assert status_of(app, comment_id) == Comment.APPROVED
    assert "Held Person" in client.get(FILM_URL).get_data(as_text=True)


def test_delete_in_place_and_without_javascript(app, owner, client):
    first, second = held_comment(app, "First"), held_comment(app, "Second")
    row = owner.post(f"/admin/comments/{first}/delete", htmx=True).get_data(as_text=True)
    assert f"Comment {first} deleted." in row
    response = owner.post(f"/admin/comments/{second}/approve")
    assert response.status_code == 303 and response.location.endswith("/admin/comments")
    assert "Second" in client.get(FILM_URL).get_data(as_text=True)
    owner.post(f"/admin/comments/{second}/delete")
    assert status_of(app, first) is None and status_of(app, second) is None
    assert "Second" not in client.get(FILM_URL).get_data(as_text=True)
    gone = owner.post(f"/admin/comments/{second}/delete", htmx=True)
    assert gone.status_code == 404 and "That comment is gone" in gone.get_data(as_text=True)


def test_bulk_approve_and_delete_all_or_nothing(app, owner, client):
    ids = [held_comment(app, f"Person {i}") for i in range(3)]
    response = owner.post(
        "/admin/comments/bulk", {"ids": [str(i) for i in ids[:2]], "action": "approve"}
    )
    assert response.status_code == 303
    assert "2 comments approved." in owner.get("/admin/comments").get_data(as_text=True)
    page = client.get(FILM_URL).get_data(as_text=True)
    assert "Person 0" in page and "Person 1" in page and "Person 2" not in page
    refused = owner.post("/admin/comments/bulk", {"ids": [str(ids[2]), "9999"], "action": "delete"})
    assert refused.status_code == 404 and "no comment with id 9999" in refused.get_data(
        as_text=True
    )
    assert status_of(app, ids[2]) == Comment.PENDING
    for data in ({"action": "delete"}, {"ids": "x", "action": "delete"}, {"ids": "1"}):
        assert owner.post("/admin/comments/bulk", data).status_code == 422
    owner.post("/admin/comments/bulk", {"ids": [str(i) for i in ids], "action": "delete"})
    assert [status_of(app, i) for i in ids] == [None, None, None]
