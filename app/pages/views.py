"""Blueprint: /about, the owner's words about the site."""

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import Page

bp = Blueprint("pages", __name__)

ABOUT = "about"


def about_page() -> Page | None:
    return db.session.scalar(select(Page).where(Page.slug == ABOUT))


@bp.get("/about")
def about():
    """The About page; until the owner writes one, a line saying what the site is."""
    return render_template("pages/about.html", page=about_page())
