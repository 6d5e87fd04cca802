"""The password policy, wherever a password is set (`users create`, `users set-password`): at
least 10 characters, none of the most common passwords (a list bundled with the app, checked
offline), never the account's own email address or the part before its @."""

import gzip
from pathlib import Path

import pytest

import app.admin
from app.admin import owners
from tests.admin.helpers import EMAIL

COMMON = ["password123", "qwertyuiop", "QWERTYUIOP", " 1234567890 ", "iloveyou12"]
LOCAL = "someone.long"
ADDRESS = f"{LOCAL}@example.com"
OWN = [LOCAL, LOCAL.upper(), ADDRESS, ADDRESS.title(), f"my {ADDRESS} password"]


def create(runner, email, password):
    return runner.invoke(args=["users", "create", email, "--password-stdin"], input=password + "\n")


def set_password(runner, email, password):
    return runner.invoke(
        args=["users", "set-password", email, "--password-stdin"], input=password + "\n"
    )


@pytest.mark.parametrize("password", COMMON)
def test_a_common_password_is_refused_on_create_and_change(runner, owner_account, password):
    for result in (create(runner, ADDRESS, password), set_password(runner, EMAIL, password)):
        assert result.exit_code == 1
        assert "one of the most common ones; choose another" in result.output


@pytest.mark.parametrize("password", OWN)
def test_the_accounts_own_email_is_refused_on_create(runner, password):
    result = create(runner, ADDRESS, password)
    assert result.exit_code == 1
    assert "may not be the account's email address" in result.output


@pytest.mark.parametrize("password", OWN)
def test_the_accounts_own_email_is_refused_on_change(runner, password):
    assert create(runner, ADDRESS, "a sound passphrase").exit_code == 0
    result = set_password(runner, ADDRESS.upper(), password)
    assert result.exit_code == 1
    assert "may not be the account's email address" in result.output


def test_a_sound_password_is_taken(runner):
    assert create(runner, ADDRESS, "long walk to india").exit_code == 0
    assert set_password(runner, ADDRESS, "a different long walk").exit_code == 0


def test_the_list_is_bundled_with_the_app_and_read_offline():
    path = Path(app.admin.__file__).with_name("common-passwords.txt.gz")
    with gzip.open(path, "rt") as lines:
        listed = {line.strip() for line in lines}
    assert len(listed) > 10_000 and {"password", "123456", "qwertyuiop"} <= listed
    assert owners._common_passwords() == listed
