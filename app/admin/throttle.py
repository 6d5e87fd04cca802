"""Failed sign-ins, counted in the database, so that every worker and server keeps one count.

Who is slowed down, after OWASP's "Slow down online guessing attacks with device cookies":
- a browser without a device cookie for the account it names, by its address's failures
  (RATELIMIT_SIGNIN_ADDRESS, whatever accounts they named) and by the account's failures from
  all such browsers together (RATELIMIT_SIGNIN_ACCOUNT), so that neither one address nor many
  rotating ones guess faster than that;
- a browser that signed in to this account before, by its own failures alone
  (RATELIMIT_SIGNIN_DEVICE): an attacker who keeps the account's limit reached, from however
  many addresses, does not lock out its owner. The device cookie is signed with SECRET_KEY,
  names the account (by digest) and a random id, lives a year, is sent to the sign-in form only
  and is renewed by every sign-in.

An attempt is written down (and counted) in one short transaction before its password is
checked, one such transaction at a time, so that simultaneous attempts on several workers cannot
all slip under a limit; a right password strikes it out again. Refused attempts check no
password and are not counted.
"""

import hashlib
import math
import secrets
from datetime import timedelta

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse_many
from sqlalchemy import delete, func, insert, select

from ..core.database import one_at_a_time, write_connection
from ..core.limits import client_address
from ..models import SignInFailure, utcnow
from .owners import normal_email

DEVICE_COOKIE = "owner_device"
DEVICE_DAYS = 365
_SETTINGS = ("RATELIMIT_SIGNIN_ADDRESS", "RATELIMIT_SIGNIN_ACCOUNT", "RATELIMIT_SIGNIN_DEVICE")


class TooMany(Exception):
    """A limit is reached; the attempt may be made again in retry_after seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def account(email: str) -> str:
    return hashlib.sha256(normal_email(email).encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="marquee.owner-device")


def device(email: str) -> str | None:
    """The id of this request's device cookie, when it is valid for the account of `email`."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        value = _serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("account") != account(email):
        return None
    return value.get("device") if isinstance(value.get("device"), str) else None


def remember_device(response, email: str) -> None:
    """Give the browser that just signed in a new device cookie for this account."""
    value = _serializer().dumps({"account": account(email), "device": secrets.token_hex(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        path=url_for("admin.sign_in"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )


def _limits(email: str, device_id: str | None):
    """(setting, which failures count against it) for an attempt."""
    if device_id:
        return [("RATELIMIT_SIGNIN_DEVICE", SignInFailure.device == device_id)]
    untrusted = SignInFailure.device.is_(None)
    return [
        ("RATELIMIT_SIGNIN_ADDRESS", untrusted & (SignInFailure.address == client_address()[:64])),
        ("RATELIMIT_SIGNIN_ACCOUNT", untrusted & (SignInFailure.account == account(email))),
    ]


def attempt(email: str, device_id: str | None) -> int:
    """Write down an attempt to sign in as `email`, before its password is checked; its id.
    TooMany, and nothing written, when one of its limits is reached."""
    config, now = current_app.config, utcnow()
    longest = max(item.get_expiry() for name in _SETTINGS for item in parse_many(config[name]))
    with write_connection() as connection:
        one_at_a_time(connection, "sign-in attempts")
        connection.execute(
            delete(SignInFailure).where(SignInFailure.at < now - timedelta(seconds=longest))
        )
        for setting, counted in _limits(email, device_id):
            for item in parse_many(config[setting]):
                since = now - timedelta(seconds=item.get_expiry())
                n, oldest = connection.execute(
                    select(func.count(), func.min(SignInFailure.at)).where(
                        counted, SignInFailure.at > since
                    )
                ).one()
                if n >= item.amount:
                    wait = (oldest - since).total_seconds()
                    raise TooMany(max(1, math.ceil(wait)))
        return connection.execute(
            insert(SignInFailure)
            .values(
                account=account(email),
                address=client_address()[:64],
                device=device_id,
                at=now,
            )
            .returning(SignInFailure.id)
        ).scalar_one()


def succeeded(attempt_id: int) -> None:
    """The attempt had the right password: it was no failure."""
    with write_connection() as connection:
        connection.execute(delete(SignInFailure).where(SignInFailure.id == attempt_id))
