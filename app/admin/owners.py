"""Owners' accounts: creating them, their passwords, and who a sign-in attempt is.

Passwords are hashed with scrypt (Werkzeug), a memory-hard scheme. A sign-in with an unknown
email checks a dummy hash, so that it takes as long as a wrong password and says the same.

A new password is at least PASSWORD_MIN characters, not one of the 19,640 most common
passwords (common-passwords.txt.gz beside this file, checked here, offline: Django's list,
BSD-licensed, from Royce Williams's compilation of breached passwords), and not the account's
own email address or the part before its @, in any capitalisation.
"""

import gzip
import secrets
from functools import cache
from pathlib import Path

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.database import write_transaction
from ..core.parsing import ID_MAX, NotAWholeNumber, control_character, whole_number
from ..extensions import db
from ..models import User

PASSWORD_MIN = 10
# scrypt takes any length, but nobody types more; a megabyte "password" is only a load.
PASSWORD_MAX = 1000
EMAIL_MAX = 254
# The longest display name the column holds: the name a review's byline shows.
NAME_MAX = 120


class OwnerError(ValueError):
    """An account that cannot be made or changed as asked; the message says why."""


def normal_email(email: str) -> str:
    """The one form an email is stored and looked up in: trimmed and case-folded."""
    return email.strip().casefold()


def _valid_email(email: str) -> str:
    email = normal_email(email)
    local, at, domain = email.rpartition("@")
    blank = any(c.isspace() for c in email) or control_character(email, one_line=True)
    if not at or not local or "." not in domain or blank:
        raise OwnerError(f"'{email}' is not an email address")
    if len(email) > EMAIL_MAX:
        raise OwnerError(f"an email address has at most {EMAIL_MAX} characters")
    return email


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(Path(__file__).with_name("common-passwords.txt.gz"), "rt") as lines:
        return frozenset(line.strip() for line in lines)


def _hash(password: str, email: str) -> str:
    """The password's hash, once it is checked against the policy (the module's docstring)."""
    if len(password) < PASSWORD_MIN:
        raise OwnerError(f"a password needs at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise OwnerError(f"a password has at most {PASSWORD_MAX} characters")
    folded = password.strip().casefold()
    if folded in _common_passwords():
        raise OwnerError("that password is one of the most common ones; choose another")
    if folded in {email, email.rpartition("@")[0]} or email in folded:
        raise OwnerError("a password may not be the account's email address; choose another")
    return generate_password_hash(password, method="scrypt")


def _find(session, email: str) -> User:
    owner = session.scalar(select(User).where(User.email == normal_email(email)))
    if owner is None:
        raise OwnerError(f"no owner with the email {normal_email(email)}")
    return owner


def valid_name(name: str) -> str:
    """A display name as it is stored: trimmed, one line, at most NAME_MAX characters."""
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise OwnerError(f"a display name has at most {NAME_MAX} characters")
    return name


def create(email: str, password: str, name: str = "") -> User:
    """A new owner; OwnerError when the email is taken or the password too short."""
    email = _valid_email(email)
    name = valid_name(name)
    password_hash = _hash(password, email)
    with write_transaction() as session:
        if session.scalar(select(func.count()).where(User.email == email)):
            raise OwnerError(f"an owner with the email {email} exists already")
        owner = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            login_token=secrets.token_hex(16),
        )
        session.add(owner)
    return owner


def set_password(email: str, password: str) -> None:
    """A new password, which also signs the owner out everywhere."""
    password_hash = _hash(password, normal_email(email))
    with write_transaction() as session:
        owner = _find(session, email)
        owner.password_hash = password_hash
        owner.login_token = secrets.token_hex(16)


def set_name(email: str, name: str) -> str:
    """A new display name, as stored: the byline of this owner's reviews."""
    name = valid_name(name)
    with write_transaction() as session:
        _find(session, email).display_name = name
    return name


def remove(email: str) -> None:
    with write_transaction() as session:
        owner = _find(session, email)
        session.execute(delete(User).where(User.id == owner.id))


def every_owner() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


# Made at start-up (in gunicorn's master, before it forks), not by the first unknown email,
# which would then take twice as long as a wrong password and tell itself apart.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")


def authenticate(email: str, password: str) -> User | None:
    """The owner with this email and password, or None, in the same time either way."""
    if len(password) > PASSWORD_MAX:
        return None
    owner = db.session.scalar(select(User).where(User.email == normal_email(email)))
    if owner is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return owner if check_password_hash(owner.password_hash, password) else None


def load(session_id: str) -> User | None:
    """The owner that a session's id names, while its login token is still the current one."""
    user_id, _, token = session_id.partition(":")
    try:
        owner_id = whole_number(user_id, lo=1, hi=ID_MAX)
    except NotAWholeNumber:
        return None
    owner = db.session.get(User, owner_id) if token else None
    if owner is None or not secrets.compare_digest(owner.login_token, token):
        return None
    return owner


def sign_out_everywhere(owner_id: int) -> None:
    """A new login token: every cookie that named the old one is signed out."""
    with write_transaction() as session:
        owner = session.get(User, owner_id)
        if owner is not None:
            owner.login_token = secrets.token_hex(16)
