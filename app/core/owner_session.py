"""Whether an owner is signed in: the admin's rule (app/admin/), which the film page asks too,
to give a signed-in owner a reply form under each comment."""

from datetime import UTC, datetime, timedelta

from flask import current_app, session
from flask_login import current_user

SIGNED_IN_AT = "signed_in_at"


def expired() -> bool:
    """A sign-in older than ADMIN_SESSION_HOURS ends, though the visitor cookie lives on."""
    started = session.get(SIGNED_IN_AT)
    limit = timedelta(hours=current_app.config["ADMIN_SESSION_HOURS"])
    return not isinstance(started, int | float) or (
        datetime.now(UTC).timestamp() - started > limit.total_seconds()
    )


def signed_in_owner():
    """The owner signed in in this browser, or None. A session that names no owner (every
    visitor's) is answered without loading anyone."""
    if SIGNED_IN_AT not in session:
        return None
    return current_user if current_user.is_authenticated and not expired() else None
