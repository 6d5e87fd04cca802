"""No admin action runs for anyone but a signed-in owner; every admin answer stays private."""

import re

from sqlalchemy import func, select

from app.admin import OPEN
from app.extensions import db
from app.models import Comment, Film, Tally, User, Vote
from tests.helpers import HTMX, SLUG, Visitor

ARGUMENTS = {"slug": SLUG, "comment_id": "1"}


def admin_routes(app):
    """(endpoint, method, url) for every rule of the admin blueprint and each of its methods."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "admin":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[^:>]+:)?{name}>", ARGUMENTS[name], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def everything(app):
    with app.app_context():
        tables = (Film, Comment, Vote, User)
        counts = [db.session.scalar(select(func.count()).select_from(t)) for t in tables]
        return (
            counts,
            db.session.scalar(select(func.max(Tally.revision))),
            db.session.scalar(select(func.max(Film.updated_at))),
        )


def test_every_admin_route_refuses_a_visitor_before_it_runs(app, client):
    # A visitor's cookie: a visitor id and a valid CSRF token, but no owner.
    visitor = Visitor(client)
    before = everything(app)
    walked = set()
    for endpoint, method, url in admin_routes(app):
        if endpoint in OPEN:
            continue
        for headers in ({}, HTMX):
            data = {"csrf_token": visitor.token, "ids": "1", "action": "delete"}
            response = client.open(url, method=method, data=data, headers=headers)
            if headers:
                assert response.status_code == 401, (method, url)
                assert "signed out" in response.get_data(as_text=True)
            else:
                assert response.status_code in (302, 303), (method, url)
                assert "/admin/sign-in" in response.location
            assert response.headers["Cache-Control"] == "no-store, private"
            assert "noindex" in response.headers["X-Robots-Tag"]
        walked.add(endpoint)
    assert {"admin.comments", "admin.approve_comment", "admin.sign_out", "admin.films"} <= walked
    assert everything(app) == before


def test_signed_in_pages_are_private_and_noindex(owner):
    response = owner.get("/admin/comments")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, private"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_an_admin_post_without_csrf_token_is_400(owner):
    response = owner.client.post("/admin/comments/bulk", data={"ids": "1", "action": "delete"})
    assert response.status_code == 400
