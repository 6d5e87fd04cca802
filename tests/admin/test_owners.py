"""Owners: the users commands, signing in and out, the session's rotation and the limits."""

from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.admin.helpers import EMAIL, PASSWORD, Owner
from tests.helpers import FILM_URL, csrf_token


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
