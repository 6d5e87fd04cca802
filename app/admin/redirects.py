"""Views: the old addresses that answer with a 301 (app/core/redirects.py), a page at a time."""

from flask import current_app, render_template, request
from sqlalchemy import func, select

from ..core.parsing import page_number
from ..extensions import db
from ..models import Film, Redirect
from . import bp


@bp.get("/redirects")
def redirects():
    """Every old address and where it leads, in address order."""
    per_page = current_app.config["ADMIN_FILMS_PER_PAGE"]
    count = db.session.scalar(select(func.count()).select_from(Redirect))
    pages = max(1, -(-count // per_page))
    page = min(max(request.args.get("page", 1, type=page_number), 1), pages)
    rows = db.session.execute(
        select(Redirect.old_path, Redirect.target, Film.slug, Film.title)
        .outerjoin(Film, Film.id == Redirect.film_id)
        .order_by(Redirect.old_path)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return render_template(
        "admin/redirects.html",
        page_title="Redirects",
        area="redirects",
        rows=rows,
        count=count,
        page=page,
        pages=pages,
    )
