"""Owners for the admin's tests: an account made as the README says, and a signed-in browser."""

import pytest

from tests.admin.helpers import EMAIL, PASSWORD, Owner


@pytest.fixture
def owner_account(runner):
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return EMAIL


@pytest.fixture
def owner(app, owner_account):
    """A browser of its own, signed in as the owner."""
    signed_in = Owner(app.test_client())
    signed_in.sign_in()
    return signed_in
