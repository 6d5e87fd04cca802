"""Views: the About page's title and Markdown, which the owner edits here."""

from flask import flash, redirect, render_template, request, url_for

from ..core import sizes
from ..core.database import write_transaction
from ..core.parsing import control_character
from ..extensions import db
from ..models import Page
from ..pages.views import ABOUT, about_page
from . import bp


def _errors(title: str, body: str) -> dict[str, str]:
    errors = {}
    if not title:
        errors["title"] = "Title: give the page a title."
    elif len(title) > sizes.PAGE_TITLE:
        errors["title"] = f"Title: at most {sizes.PAGE_TITLE} characters."
    if len(body) > sizes.BODY:
        errors["body"] = f"Text: at most {sizes.BODY:,} characters."
    for name, label, text in (("title", "Title", title), ("body", "Text", body)):
        if found := control_character(text):
            errors.setdefault(name, f"{label}: remove the control character ({found}).")
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
@sizes.allows(sizes.PAGE_FORM_BYTES)
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
