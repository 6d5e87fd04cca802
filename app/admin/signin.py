"""Views: signing in and out of the admin.

Signing in rotates the session: everything the cookie held before is dropped (the CSRF token
and any flashed messages among it) except the visitor id, which is kept so that the owner's
own votes and comments as a reader stay theirs; the id grants nothing in the admin. Signing out
clears the session the same way and gives the owner a new login token, so that a copy of the
signed-in cookie kept anywhere no longer signs anyone in.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, ValidationError

from ..core.owner_session import SIGNED_IN_AT
from ..core.parsing import control_character
from ..core.web import current_visitor, ensure_visitor
from . import bp, owners, throttle

REFUSED = "That email and password do not match an owner's account."
TOO_MANY = "Too many sign-in attempts. Wait a minute, then try again."


def _plain_line(_form, field) -> None:
    if found := control_character(field.data or "", one_line=True):
        raise ValidationError(f"Remove the control character ({found}) from the email address.")


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), _plain_line])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


def _wanted_page() -> str:
    """The `next` page asked for, if it is a page of the admin: never another site, and never
    a line end or other control character that a Location header would carry further."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.startswith("/admin"):
        return ""
    return "" if control_character(target, one_line=True) else target


def _next_page() -> str:
    """Where to go after signing in: the page asked for, else the comments queue."""
    return _wanted_page() or url_for("admin.comments")


def _fresh_session() -> None:
    """Nothing from before survives but the visitor id (see the module's docstring)."""
    visitor = current_visitor()
    session.clear()
    g.pop("csrf_token", None)  # the token of the cleared session, kept for this request
    if visitor:
        session["visitor"] = visitor
        session.permanent = True


def _form_page(form: SignInForm, error: str | None = None, status: int = 200):
    ensure_visitor()
    body = render_template("admin/sign_in.html", form=form, error=error, next_page=_wanted_page())
    return body, status


@bp.get("/sign-in")
def sign_in():
    """The sign-in form."""
    if current_user.is_authenticated:
        return redirect(_next_page(), code=303)
    return _form_page(SignInForm(formdata=None))


@bp.post("/sign-in")
def sign_in_post():
    """Check an email and password; the same refusal for an unknown email and a wrong one, and
    too many failures (app/admin/throttle.py) refused before any password is checked."""
    form = SignInForm()
    if not form.validate():
        return _form_page(form, status=422)
    email = form.email.data
    try:
        attempt = throttle.attempt(email, throttle.device(email))
    except throttle.TooMany as refused:
        body, status = _form_page(SignInForm(formdata=None), TOO_MANY, 429)
        return body, status, {"Retry-After": str(refused.retry_after)}
    owner = owners.authenticate(email, form.password.data)
    if owner is None:
        return _form_page(form, REFUSED, 401)
    throttle.succeeded(attempt)
    destination = _next_page()
    _fresh_session()
    login_user(owner)
    session[SIGNED_IN_AT] = datetime.now(UTC).timestamp()
    response = redirect(destination, code=303)
    throttle.remember_device(response, owner.email)
    return response


@bp.post("/sign-out")
def sign_out():
    """Sign out here and everywhere else this owner's cookie was copied to."""
    owners.sign_out_everywhere(int(current_user.id))
    logout_user()
    _fresh_session()
    flash("You are signed out.", "admin")
    return redirect(url_for("admin.sign_in"), code=303)
