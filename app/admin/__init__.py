"""The owner's desk: /admin, for signed-in owners only.

Every route of this blueprint but the sign-in form itself answers a request without a signed-in
owner with a redirect to the sign-in form (401 for htmx) before its view runs; every answer is
kept out of caches and search engines. The views are in one module per area: signin, films,
comments, votes, about, redirects, profile.
"""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from ..core.owner_session import expired
from ..core.web import is_htmx
from ..extensions import login_manager
from . import owners

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The only views a signed-out request reaches: the sign-in form and its POST.
OPEN = {"admin.sign_in", "admin.sign_in_post"}


@login_manager.user_loader
def _load_owner(session_id: str):
    return owners.load(session_id)


@bp.before_request
def require_owner():
    if request.endpoint in OPEN:
        return None
    if current_user.is_authenticated and not expired():
        return None
    if current_user.is_authenticated:
        logout_user()
    if is_htmx():
        body = render_template("admin/_signed_out.html")
        return body, 401
    return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")), code=303)


# Flask-Login's init_app() would hook every response of the site to refresh its remember
# cookie, reading the session for it: every public answer, static files included, would then
# say `Vary: Cookie`, which keeps it out of shared caches. Only the owners' desk signs in or out.
bp.after_request(login_manager._update_remember_cookie)


@bp.after_request
def keep_private(response):
    # `private` too: a shared cache that ignores no-store (some do) must still not keep a
    # preview of a film that visitors may not see yet.
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.vary.add("Cookie")
    return response


@bp.context_processor
def _owner():
    return {"owner": current_user}


def register(app) -> None:
    # The public pages never look at an owner: no context processor, no user loaded, no hook.
    app.login_manager = login_manager
    from . import about, comments, films, profile, redirects, signin, votes  # noqa: F401  (their routes join bp)

    app.register_blueprint(bp)
