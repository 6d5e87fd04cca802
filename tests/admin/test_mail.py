"""Email to the owners when a comment is held, through a real SMTP server (aiosmtpd) that the
test starts on loopback; and a mail server that is down or slow never fails the visitor."""

import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from app import create_app
from app.comments import notify
from app.extensions import db
from tests.admin.helpers import EMAIL
from tests.helpers import FILM_URL, HTMX, csrf_token

SPAM = "links: http://a.example http://b.example http://c.example"


class Inbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def inbox(app):
    handler = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks it is up by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(
        MAIL_URL=f"smtp://127.0.0.1:{controller.port}", MAIL_FROM="marquee@example.com"
    )
    yield handler
    if timer := notify.pending(app):
        timer.cancel()
    controller.stop()


def post_comment(client, body, htmx=True, **kwargs):
    token = csrf_token(client.get(FILM_URL, **kwargs).get_data(as_text=True))
    return client.post(
        f"{FILM_URL}/comments",
        data={"csrf_token": token, "name": "Spammy", "comment": body},
        headers=HTMX if htmx else {},
        **kwargs,
    )


def test_a_held_comment_mails_every_owner(app, runner, owner_account, inbox, client):
    runner.invoke(
        args=["users", "create", "second@example.com", "--password-stdin"],
        input="another long one\n",
    )
    response = post_comment(client, SPAM)
    assert response.status_code == 200 and "read by a moderator" in response.get_data(as_text=True)
    assert inbox.arrived.wait(10)
    envelope = inbox.messages[0]
    assert sorted(envelope.rcpt_tos) == ["owner@example.com", "second@example.com"]
    assert envelope.mail_from == "marquee@example.com"
    text = envelope.content.decode()
    assert "The Way Back" in text and "http://b.example" in text
    assert "/admin/comments" in text
    assert EMAIL.lower() in text  # the To header names the owners


def test_a_shown_comment_mails_nobody(app, owner_account, inbox, client):
    assert post_comment(client, "A fine film.").status_code == 200
    assert not inbox.arrived.wait(1)


def test_no_mail_when_mail_url_is_unset(app, owner_account, client, monkeypatch):
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    assert app.config["MAIL_URL"] == ""
    assert post_comment(client, SPAM).status_code == 200
    assert [t for t in started if t.name == "marquee-mail"] == []


def test_a_mail_server_that_is_down_or_silent_neither_fails_nor_blocks(
    app, owner_account, client, caplog
):
    # A listener that accepts and never answers: the worst a mail server can do.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    app.config.update(
        MAIL_URL=f"smtp://127.0.0.1:{silent.getsockname()[1]}",
        MAIL_FROM="marquee@example.com",
        MAIL_TIMEOUT=3,
    )
    response = post_comment(client, SPAM, htmx=False)
    assert response.status_code == 303
    # The answer came while the mail was still waiting on the server: not a time limit on the
    # request, which a loaded machine could break, but the order of the two.
    (mailing,) = [t for t in threading.enumerate() if t.name == "marquee-mail"]
    assert mailing.is_alive()
    mailing.join(10)
    silent.close()
    assert any("was not sent" in record.message for record in caplog.records)


def wait_for(inbox, count, seconds=10):
    deadline = time.monotonic() + seconds
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return [envelope.content.decode() for envelope in inbox.messages]


def test_held_comments_are_told_once_per_few_minutes_listing_what_waits(
    app, owner_account, inbox, new_visitor
):
    app.config["MAIL_HELD_MINUTES"] = 0.03  # under two seconds, for the test
    for n in range(3):
        post_comment(new_visitor().client, f"{SPAM} number {n}")
    first, second = wait_for(inbox, 2)
    assert "1 comment waits" in first and "number 0" in first
    # The quiet time over, one message with everything that waits then.
    assert "3 comments wait" in second
    assert all(f"number {n}" in second for n in range(3))
    time.sleep(2.5)
    assert len(inbox.messages) == 2


def test_every_worker_keeps_to_the_one_pace(app, owner_account, inbox, new_visitor):
    """Told lately is in the database: a second app on it (another worker or server) sends no
    second message within the quiet time."""
    other = create_app(dict(app.config))
    try:
        post_comment(new_visitor().client, f"{SPAM} one")
        assert len(wait_for(inbox, 1)) == 1
        post_comment(other.test_client(), f"{SPAM} two")
        time.sleep(1)
        assert len(inbox.messages) == 1
        assert notify.pending(other) is not None  # it will tell of "two" when the time is over
    finally:
        if timer := notify.pending(other):
            timer.cancel()
        with other.app_context():
            db.engine.dispose()


def test_the_link_in_the_mail_is_site_url_whatever_the_host(app, owner_account, inbox):
    site = create_app(
        {
            **app.config,
            "SITE_URL": "https://films.example.com",
            "TRUSTED_HOSTS": ["films.example.com", "alias.example"],
        }
    )
    try:
        client = site.test_client()
        assert post_comment(client, SPAM, base_url="http://alias.example").status_code == 200
        (text,) = wait_for(inbox, 1)
        assert "Approve or delete: https://films.example.com/admin/comments" in text
        assert "alias.example" not in text
        # A host not trusted is refused before anything is read.
        poisoned = client.get(FILM_URL, base_url="http://evil.example")
        assert poisoned.status_code == 400
        assert poisoned.get_data(as_text=True) == "This site does not answer to that host name.\n"
    finally:
        with site.app_context():
            db.engine.dispose()
