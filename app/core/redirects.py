"""Old addresses that answer with a 301: a film's former slug, an imported blog's post address
(`/?p=42`, `/2024/07/20/the-way-back/`). Rows are made where addresses change; the 404 path
asks here before it says "not found"."""

from flask import Request, redirect, request, url_for
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Film, Redirect
from .parsing import control_character
from .urls import path_for


def key(path: str, query: str = "") -> str:
    """An address as `redirects.old_path` holds it: no trailing slash, the query kept as sent."""
    path = path.rstrip("/") or "/"
    return f"{path}?{query}" if query else path


def answer(request: Request) -> Response | None:
    """The 301 for an old address, or None. The address with its query wins over the path
    alone; a film not yet visible is not revealed. No address made holds a control character
    (PostgreSQL would refuse to look one up)."""
    if control_character(request.path, one_line=True):
        return None
    query = request.query_string.decode("utf-8", "replace")
    keys = [key(request.path, query), key(request.path)] if query else [key(request.path)]
    found = {
        row.old_path: row
        for row in db.session.scalars(select(Redirect).where(Redirect.old_path.in_(keys)))
    }
    row = next((found[k] for k in keys if k in found), None)
    if row is None:
        return None
    if row.film_id is None:
        return redirect(row.target, code=301)
    visible = db.session.scalar(select(Film.slug).where(Film.id == row.film_id, Film.visible()))
    return redirect(url_for("films.show", slug=visible), code=301) if visible else None


def slug_given(session: Session, film_id: int, old_slug: str | None, new_slug: str) -> None:
    """A film got its slug (`old_slug` None for a new film), in the caller's transaction: its
    former address answers with a 301 to it from now on, and its own address is nobody's old
    one any more, so that a slug changed back leaves no loop and a new film takes its address."""
    if old_slug == new_slug:
        return
    old = key(path_for("films.show", slug=old_slug)) if old_slug else None
    paths = [path for path in (key(path_for("films.show", slug=new_slug)), old) if path]
    session.execute(delete(Redirect).where(Redirect.old_path.in_(paths)))
    if old:
        session.add(Redirect(old_path=old, film_id=film_id))


def _home_with_query():
    """A blog's post address is the home page with a query (`/?p=42`), which is no 404."""
    if request.path == "/" and request.query_string and request.method in {"GET", "HEAD"}:
        return answer(request)
    return None


def register(app) -> None:
    app.before_request(_home_with_query)
