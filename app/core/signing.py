"""What the browser keeps, signed as Flask and Flask-WTF sign it: the session cookie and the
CSRF token. Every cookie and token already out there goes on being accepted, and theirs are
still what check them (SecureCookieSessionInterface.open_session, CSRFProtect); what changes
is the work of signing, which a first visit does twice and a hello-world request never:

- each serializer is made once per secret key, not per cookie or token (Flask-WTF makes one,
  and derives its key, for every token), and its signer and derived keys once with it;
- SHA-1 is hashlib's own, which the hmac module hands to OpenSSL whole; Flask's and
  itsdangerous' default is a Python function wrapping it, which hmac can only run through
  its pure-Python HMAC (the same digest, at twice the cost);
- short payloads are not offered to zlib: a session or a token is a hundred bytes, which
  deflate never shortens, and trying costs more than the signature; a long one (flashed
  messages piling up unread) is, so the cookie stays as small as Flask would make it;
- a session of plain values (strings, numbers, booleans) is written and read by the json
  module straight, with the same bytes as the tagged serializer, which otherwise walks it
  value by value.
"""

import hashlib
import json
import os

from flask import Flask, current_app, g, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer
from itsdangerous.timed import TimestampSigner

_PLAIN = (str, int, bool, float, type(None))


# Below this, deflate's header and checksum outweigh what it could save on a session's JSON.
_WORTH_COMPRESSING = 512


class _KeptKeys(TimestampSigner):
    """TimestampSigner, each key derived once: a digest of the secret key and the salt."""

    def derive_key(self, secret_key=None) -> bytes:
        derived = self.__dict__.setdefault("_derived", {})
        if secret_key not in derived:
            derived[secret_key] = super().derive_key(secret_key)
        return derived[secret_key]


class _Kept(URLSafeTimedSerializer):
    """URLSafeTimedSerializer, one signer per salt, its zlib attempt kept for long payloads;
    it reads either."""

    default_signer = _KeptKeys

    def make_signer(self, salt=None) -> TimestampSigner:
        signers = self.__dict__.setdefault("_signers", {})
        if salt not in signers:
            signers[salt] = super().make_signer(salt)
        return signers[salt]

    def dump_payload(self, obj) -> bytes:
        json_bytes = Serializer.dump_payload(self, obj)
        if len(json_bytes) < _WORTH_COMPRESSING:
            return base64_encode(json_bytes)
        return super().dump_payload(obj)


class _PlainFirst(TaggedJSONSerializer):
    """Flask's tagged JSON; a dict of plain values is dumped and loaded as the tagged one would,
    without its walk over every value."""

    def _plain(self, value) -> bool:
        return (
            type(value) is dict
            and all(type(item) in _PLAIN for item in value.values())
            and not (len(value) == 1 and next(iter(value)) in self.tags)
        )

    def dumps(self, value) -> str:
        if self._plain(value):
            # What flask.json.dumps() (sorted keys, ASCII) makes of the tagged dict, unchanged.
            return json.dumps(value, separators=(",", ":"), sort_keys=True)
        return super().dumps(value)

    def loads(self, value: str):
        loaded = json.loads(value)
        return loaded if self._plain(loaded) else super().loads(value)


def _kept(app: Flask, name: str, keys: tuple, make):
    kept = app.extensions.get(name)
    if kept is None or kept[0] != keys:
        kept = app.extensions[name] = (keys, make())
    return kept[1]


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer made once per secret key."""

    serializer = _PlainFirst()
    digest_method = staticmethod(hashlib.sha1)

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        # Flask's order: the fallbacks, then the current key, which itsdangerous signs with.
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        return _kept(
            app,
            "marquee.session_serializer",
            keys,
            lambda: _Kept(
                list(keys),
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            ),
        )

    def save_session(self, app: Flask, session, response) -> None:
        """Flask's save_session(), with `Vary: Cookie` added by a look at the header: Flask
        adds it through `response.vary`, up to twice, each time parsing the header and writing
        it anew (a first visit's film page: 1.71 -> 1.65 M instructions without that)."""
        name = self.get_cookie_name(app)
        cookie = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "partitioned": self.get_cookie_partitioned(app),
            "samesite": self.get_cookie_samesite(app),
            "httponly": self.get_cookie_httponly(app),
        }
        if session.accessed:
            _vary_on_cookie(response)
        if not session:
            if session.modified:
                response.delete_cookie(name, **cookie)
                _vary_on_cookie(response)
            return
        if not self.should_set_cookie(app, session):
            return
        expires = self.get_expiration_time(app, session)
        value = self.get_signing_serializer(app).dumps(dict(session))
        response.set_cookie(name, value, expires=expires, **cookie)
        _vary_on_cookie(response)


def _vary_on_cookie(response) -> None:
    """Add `Cookie` to the response's `Vary`, as `response.vary.add("Cookie")` does."""
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Cookie"
    elif "cookie" not in (part.strip().lower() for part in vary.split(",")):
        response.headers["Vary"] = f"{vary}, Cookie"


def _field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def session_csrf() -> str:
    """The session's own (unsigned) CSRF token, made as Flask-WTF makes it on a first visit:
    what an ETag depends on. Signing waits for a page that shows it (csrf_token())."""
    field = _field()
    if field not in session:
        session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
    return session[field]


def csrf_token() -> str:
    """Flask-WTF's generate_csrf(): the session's token signed, once a request; the templates'
    csrf_token(). A POST's answer carries the token it was checked with (KeptTokenCSRF)."""
    field = _field()
    if field not in g:
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        signer = _kept(
            current_app,
            "marquee.csrf_serializer",
            (secret,),
            lambda: _Kept(
                secret, salt="wtf-csrf-token", signer_kwargs={"digest_method": hashlib.sha1}
            ),
        )
        setattr(g, field, signer.dumps(session_csrf()))
    return g.get(field)


def register(app: Flask) -> None:
    """Templates sign with csrf_token() above; Flask-WTF's CSRFProtect must be set up first."""
    app.jinja_env.globals["csrf_token"] = csrf_token
