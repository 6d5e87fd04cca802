"""Views: the About page's title and Markdown, which the owner edits here."""

from flask import flash, redirect, render_template, request, url_for

from ..core.database import write_transaction
from ..core.parsing import control_character
from ..extensions import db
from ..models import Film, Page
from ..pages.views import ABOUT, about_page
from . import bp

TITLE_MAX = 200


def _errors(title: str, body: str) -> dict[str, str]:
    errors = {}
    if found := control_character(title, one_line=True):
        errors["title"] = f"Title: remove the control character ({found})."
    elif not title:
        errors["title"] = "Title: give the page a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Title: at most {TITLE_MAX} characters."
    if found := control_character(body):
        errors["body"] = f"Text: remove the control character ({found})."
    elif len(body) > Film.BODY_MAX:
        errors["body"] = f"Text: at most {Film.BODY_MAX:,} characters."
    return errors


def _page(values: dict, errors: dict | None = None, status: int = 200):
    body = render_template(
        "admin/about.html",
        page_title="About page",
        area="about",
        values=values,
        errors=errors or {},
        first_error=next(iter(errors or {}), None),
    )
    return body, status


@bp.get("/about")
def about():
    """The About page's form, filled in."""
    page = about_page()
    title = page.title if page else "About"
    return _page({"title": title, "body": page.body if page else ""})


@bp.post("/about")
def save_about():
    """Save the About page; a mistake is shown by its field and nothing is saved."""
    title = request.form.get("title", "").strip()
    body = request.form.get("body", "").replace("\r\n", "\n").strip()
    if errors := _errors(title, body):
        return _page({"title": title, "body": body}, errors, 422)
    with write_transaction():
        page = about_page()
        if page is None:
            page = Page(slug=ABOUT)
            db.session.add(page)
        page.title, page.body = title, body
    flash("The About page was saved.", "admin")
    return redirect(url_for("admin.about"), code=303)
