"""Owners: the users commands, signing in and out, the session's rotation and the limits."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.admin.helpers import EMAIL, PASSWORD, Owner
from tests.helpers import FILM_URL, csrf_token

ROOT = Path(__file__).resolve().parents[2]


def test_create_stores_a_case_folded_email_and_a_scrypt_hash(app, owner_account, runner):
    with app.app_context():
        owner = db.session.scalar(select(User))
        assert owner.email == "owner@example.com"
        assert owner.password_hash.startswith("scrypt:") and PASSWORD not in owner.password_hash
    again = runner.invoke(
        args=["users", "create", "OWNER@example.COM", "--password-stdin"], input="x" * 12 + "\n"
    )
    assert again.exit_code == 1 and "exists already" in again.output
    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0 and "owner@example.com" in listed.output


def test_create_asks_twice_without_echo_and_refuses_a_mismatch(app, runner):
    result = runner.invoke(args=["users", "create", "a@b.example"], input="long enough1\nother\n")
    assert result.exit_code != 0 and "do not match" in result.output
    result = runner.invoke(
        args=["users", "create", "a@b.example"], input="long enough1\nlong enough1\n"
    )
    assert result.exit_code == 0, result.output
    assert "long enough1" not in result.output


def test_bad_emails_and_short_passwords_are_refused(runner):
    for email, password, words in (
        ("not-an-email", "long enough1", "not an email"),
        ("a@b.example", "short", "at least 10"),
    ):
        result = runner.invoke(
            args=["users", "create", email, "--password-stdin"], input=password + "\n"
        )
        assert result.exit_code == 1 and words in result.output


def test_sign_in_then_out(app, owner_account):
    owner = Owner(app.test_client())
    assert owner.get("/admin/comments").status_code == 303
    response = owner.sign_in(email="  OWNER@example.com ")
    assert response.status_code == 303 and response.location.endswith("/admin/comments")
    assert owner.get("/admin/comments").status_code == 200
    assert owner.post("/admin/sign-out").status_code == 303
    assert owner.get("/admin/comments").status_code == 303


def test_unknown_email_and_wrong_password_get_the_same_answer(app, owner_account):
    answers = []
    for email, password in ((EMAIL, "wrong password"), ("nobody@example.com", PASSWORD)):
        response = Owner(app.test_client()).sign_in(email=email, password=password)
        body = response.get_data(as_text=True).replace(email, "EMAIL")
        answers.append((response.status_code, body.replace(csrf_token(body), "TOKEN")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401 and "do not match an owner" in answers[0][1]


def test_sign_in_rotates_the_session_and_keeps_only_the_visitor_id(app, owner_account):
    client = app.test_client()
    client.get(FILM_URL)
    with client.session_transaction() as before:
        visitor, token = before["visitor"], before["csrf_token"]
        before["planted"] = "by someone else"
    owner = Owner(client)
    owner.sign_in()
    with client.session_transaction() as after:
        assert after["visitor"] == visitor
        assert "planted" not in after
        assert after.get("csrf_token") != token
    # The token from before signing in no longer posts anything.
    response = client.post("/admin/sign-out", data={"csrf_token": token})
    assert response.status_code == 400


def test_a_copy_of_the_signed_in_cookie_is_worthless_after_sign_out(app, owner):
    copy = app.test_client()
    cookie = owner.client.get_cookie("session", domain="marquee.test")
    copy.set_cookie("session", cookie.value, domain=cookie.domain)
    assert copy.get("/admin/comments").status_code == 200
    owner.post("/admin/sign-out")
    assert copy.get("/admin/comments").status_code == 303


def test_set_password_and_delete_sign_the_owner_out(app, owner, runner):
    result = runner.invoke(
        args=["users", "set-password", EMAIL, "--password-stdin"], input="a new password\n"
    )
    assert result.exit_code == 0, result.output
    assert owner.get("/admin/comments").status_code == 303
    assert Owner(app.test_client()).sign_in(password=PASSWORD).status_code == 401
    assert Owner(app.test_client()).sign_in(password="a new password").status_code == 303
    assert runner.invoke(args=["users", "delete", EMAIL]).exit_code == 0
    assert Owner(app.test_client()).sign_in(password="a new password").status_code == 401
    assert runner.invoke(args=["users", "delete", EMAIL]).exit_code == 1


def test_brute_force_is_refused_after_five_tries_even_with_the_right_password(app, owner_account):
    browser = Owner(app.test_client())
    codes = [browser.sign_in(password=f"guess {i}").status_code for i in range(5)]
    assert codes == [401] * 5
    refused = browser.sign_in()
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many sign-in attempts" in refused.get_data(as_text=True)
    assert browser.get("/admin/comments").status_code == 303


def test_one_account_is_limited_from_many_addresses(app, owner_account):
    for i in range(5):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i}"
        assert Owner(client).sign_in(password="wrong guess").status_code == 401
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.99"
    assert Owner(client).sign_in().status_code == 429


def test_sign_in_without_csrf_token_is_400(app, owner_account):
    response = app.test_client().post("/admin/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400


def test_next_page_stays_inside_the_admin(app, owner_account):
    client = app.test_client()
    page = client.get("/admin/sign-in").get_data(as_text=True)
    for target, landing in (
        ("/admin/films", "/admin/films"),
        ("//evil.example/", "/admin/comments"),
    ):
        response = client.post(
            f"/admin/sign-in?next={target}",
            data={"csrf_token": csrf_token(page), "email": EMAIL, "password": PASSWORD},
        )
        assert response.status_code == 303 and response.location.endswith(landing)
        client.post(
            "/admin/sign-out",
            data={"csrf_token": csrf_token(client.get("/admin/comments").get_data(as_text=True))},
        )
        page = client.get("/admin/sign-in").get_data(as_text=True)


def test_a_sign_in_ends_after_its_hours(app, owner):
    with owner.client.session_transaction() as session:
        session["signed_in_at"] -= app.config["ADMIN_SESSION_HOURS"] * 3600 + 1
    assert owner.get("/admin/comments").status_code == 303


def test_an_unknown_email_checks_a_hash_as_a_known_one_does(app, owner_account, monkeypatch):
    from app.admin import owners

    checked = []
    real = owners.check_password_hash

    def counting(stored, password):
        checked.append(stored.split("$")[0])
        return real(stored, password)

    monkeypatch.setattr(owners, "check_password_hash", counting)
    with app.app_context():
        assert owners.authenticate("nobody@example.com", PASSWORD) is None
        assert owners.authenticate(EMAIL, "wrong password") is None
        assert owners.authenticate(EMAIL.upper(), PASSWORD) is not None
    # The same scrypt parameters each time: the same work, so the same time.
    assert len(checked) == 3 and len(set(checked)) == 1


def from_address(app, address: str) -> Owner:
    """A browser of its own, at this address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Owner(client)


def signed_in_before(app, address="198.51.100.7") -> Owner:
    """The owner's own browser: it signed in (and got its device cookie), then out."""
    browser = from_address(app, address)
    assert browser.sign_in().status_code == 303
    assert browser.post("/admin/sign-out").status_code == 303
    return browser


def test_rotating_addresses_slow_the_attacker_but_not_the_owners_own_browser(app, owner_account):
    owners_browser = signed_in_before(app)
    guesses = [
        from_address(app, f"192.0.2.{i}").sign_in(password=f"guess {i}").status_code
        for i in range(20)
    ]
    assert guesses == [401] * 5 + [429] * 15
    # A browser that never signed in waits with the attacker, even with the right password...
    assert from_address(app, "203.0.113.9").sign_in().status_code == 429
    # ... the owner's own browser does not.
    assert owners_browser.sign_in().status_code == 303


def test_a_browser_that_signed_in_before_is_limited_by_its_own_failures(app, owner_account):
    browser = signed_in_before(app)
    assert [browser.sign_in(password=f"typo {i}").status_code for i in range(5)] == [401] * 5
    refused = browser.sign_in()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Another browser at the same address was not slowed by those.
    assert from_address(app, "198.51.100.7").sign_in().status_code == 303


def test_the_device_cookie_is_signed_for_one_account_and_sent_to_the_sign_in_form_only(
    app, owner_account, runner
):
    browser = from_address(app, "198.51.100.7")
    response = browser.sign_in()
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("owner_device=")
    )
    assert "Path=/admin/sign-in" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    other = "second@example.com"
    assert (
        runner.invoke(
            args=["users", "create", other, "--password-stdin"], input=PASSWORD + "\n"
        ).exit_code
        == 0
    )
    for i in range(5):
        assert from_address(app, f"192.0.2.{i}").sign_in(other, "wrong guess").status_code == 401
    # Signed for the first account, the cookie does not pass the second's limit...
    assert browser.post("/admin/sign-out").status_code == 303
    assert browser.sign_in(other, PASSWORD).status_code == 429
    # ... and a cookie that is not the site's own passes nothing.
    value = browser.client.get_cookie("owner_device", domain="marquee.test", path="/admin/sign-in")
    for i in range(5):
        assert from_address(app, f"192.0.2.{i}").sign_in(password="wrong guess").status_code == 401
    forged = from_address(app, "198.51.100.8")
    forged.client.set_cookie(
        "owner_device", value.value[:-2] + "xx", domain="marquee.test", path="/admin/sign-in"
    )
    assert forged.sign_in().status_code == 429


def test_simultaneous_wrong_passwords_do_not_slip_under_the_limit(app, owner_account):
    """Each attempt is counted before its password is checked, one counting at a time."""
    browsers = [from_address(app, "192.0.2.1") for _ in range(10)]
    for browser in browsers:
        browser.client.get("/admin/sign-in")
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda b: b.sign_in(password="wrong").status_code, browsers))
    assert sorted(statuses) == [401] * 5 + [429] * 5


def test_the_dummy_hash_is_made_at_start_up_not_by_the_first_unknown_email(database_url):
    """A fresh process: once the app is built, checking an unknown email makes no hash (which
    would make the first such sign-in twice as slow as a wrong password, and tell it apart)."""
    script = f"""
from app import create_app
from app.admin import owners
from app.extensions import db

app = create_app({{"SQLALCHEMY_DATABASE_URI": {database_url!r}, "SECRET_KEY": "s"}})

def refuse(*_args, **_kwargs):
    raise AssertionError("a hash was made while a sign-in was checked")

owners.generate_password_hash = refuse
with app.app_context():
    db.create_all()
    assert owners.authenticate("nobody@example.com", "any password at all") is None
    db.engine.dispose()
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
