"""The reliability tests' fixture: an app that fails on demand (helpers.py has the rest)."""

import pytest
from flask import abort

from tests.reliability.helpers import SECRET


@pytest.fixture
def raising_app(app):
    """The app with a route that fails as told, and unhandled errors answered, not raised."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def fail(code: int):
        if code == 500:
            raise RuntimeError(SECRET)
        abort(code)

    app.add_url_rule("/test-fail/<int:code>", view_func=fail, methods=["GET", "POST"])
    return app
