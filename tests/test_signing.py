"""The session cookie and the CSRF token, signed with less work (app/core/signing.py), are the
ones Flask and Flask-WTF make and check: either side reads what the other wrote."""

import json

from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf, validate_csrf
from hypothesis import given
from hypothesis import strategies as st

from app.core import signing
from tests.helpers import FILM_URL, HTMX, RATING_URL, text_of

plain = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))


# The app's JSON settings are Flask's defaults, which the tagged serializer dumps with.
_FLASK = Flask(__name__)
_KEYED = Flask(__name__)
_KEYED.secret_key = "a key for the cookies"


@given(st.dictionaries(st.text(), plain))
def test_a_plain_session_is_dumped_as_the_tagged_serializer_dumps_it(value):
    with _FLASK.app_context():
        assert signing.SessionCookies.serializer.dumps(value) == TaggedJSONSerializer().dumps(value)


@given(st.dictionaries(st.text(), plain | st.lists(plain) | st.tuples(plain)))
def test_a_session_is_loaded_as_the_tagged_serializer_loads_it(value):
    with _FLASK.app_context():
        dumped = TaggedJSONSerializer().dumps(value)
        loaded = signing.SessionCookies.serializer.loads(dumped)
        assert loaded == TaggedJSONSerializer().loads(dumped) == value


def test_a_session_with_tagged_values_is_still_tagged(app):
    with app.app_context():
        dumped = signing.SessionCookies.serializer.dumps({"_flashes": [("comments", "Thanks")]})
        assert json.loads(dumped) == {"_flashes": [{" t": ["comments", "Thanks"]}]}
        assert signing.SessionCookies.serializer.loads(dumped) == {
            "_flashes": [("comments", "Thanks")]
        }


def test_flasks_own_interface_reads_the_cookie_and_ours_reads_flasks(app):
    ours = signing.SessionCookies().get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    value = {"visitor": "0123abc", "csrf_token": "f" * 40, "_permanent": True}
    assert flasks.loads(ours.dumps(value)) == value
    # Flask's compresses what deflate shortens (the leading "."): ours reads it.
    long = {"visitor": "x" * 500}
    assert flasks.dumps(long).startswith(".")
    assert ours.loads(flasks.dumps(long)) == long


def test_a_long_session_is_compressed_as_flask_compresses_it(app):
    # Flashed messages left unread pile up: deflated, as Flask would, the cookie stays small.
    ours = signing.SessionCookies().get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    piled = {"_flashes": [("admin", "Poster saved for Perfect Days.")] * 200}
    cookie = ours.dumps(piled)
    assert cookie.startswith(".")
    assert len(cookie) < 1000
    assert flasks.loads(cookie) == ours.loads(cookie) == piled
    # A short one is not offered to zlib, and reads the same either side.
    short = {"visitor": "0123abc"}
    assert not ours.dumps(short).startswith(".")


def test_the_page_token_is_flask_wtfs_and_a_vote_with_it_counts(app, client):
    html = client.get(FILM_URL).get_data(as_text=True)
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    with app.test_request_context():
        from flask import session

        session["csrf_token"] = raw
        validate_csrf(token)  # raises if Flask-WTF does not take it
        # And a token Flask-WTF signs itself is one ours would have made.
        assert generate_csrf() and validate_csrf(generate_csrf()) is None
    answer = client.post(RATING_URL, data={"stars": "4", "csrf_token": token}, headers=HTMX)
    assert answer.status_code == 200
    assert "Vote count: 2" in text_of(answer.get_data(as_text=True))


def _saved(interface, session_state, vary: list[str]) -> tuple:
    contents, modified, accessed = session_state
    session = SecureCookieSession({"visitor": "v1", "csrf_token": "t"} if contents else {})
    session.modified, session.accessed = modified, accessed
    response = _KEYED.response_class()
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    with _KEYED.test_request_context():
        interface.save_session(_KEYED, session, response)
    # A cookie's value holds the second it was signed in: compare its name and attributes.
    cookies = [
        (c.split("=", 1)[0], c.split(";", 1)[1:]) for c in response.headers.getlist("Set-Cookie")
    ]
    return response.headers.get("Vary"), cookies


@given(
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
    st.lists(st.sampled_from(["Accept-Encoding", "HX-Request", "Cookie", "cookie"]), unique=True),
)
def test_vary_and_the_cookie_are_as_flasks_save_session_makes_them(session_state, vary):
    assert _saved(signing.SessionCookies(), session_state, vary) == _saved(
        SecureCookieSessionInterface(), session_state, vary
    )
