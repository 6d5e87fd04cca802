"""Views: the signed-in owner's own account, where they set the name their reviews are signed
with."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import bp, owners


def _page(name: str, error: str | None = None, status: int = 200):
    body = render_template(
        "admin/profile.html",
        page_title="Your name",
        area="profile",
        values={"display_name": name},
        errors={"display_name": error} if error else {},
        first_error="display_name" if error else None,
    )
    return body, status


@bp.get("/profile")
def profile():
    """The owner's display name, to change."""
    return _page(current_user.display_name)


@bp.post("/profile")
def save_profile():
    """Save the owner's display name; refused beside the field when too long."""
    name = request.form.get("display_name", "")
    try:
        owners.set_name(current_user.email, name)
    except owners.OwnerError as error:
        return _page(name, f"Display name: {str(error).capitalize()}.", 422)
    flash("Your name was saved.", "admin")
    return redirect(url_for("admin.profile"), code=303)
