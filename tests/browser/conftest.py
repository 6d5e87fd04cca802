"""A live Marquee server and a real browser: Playwright driving Debian's Chromium."""

import shutil
import threading
import time

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.films import content

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container, with no calls home (this machine has no network to call).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(database_url, tmp_path):
    """The app on a free loopback port, on a database of its own, served from a thread."""
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POSTER_DIR": str(tmp_path / "posters"),
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    yield server
    server.shutdown()
    thread.join()
    with app.app_context():
        # A request the browser sent as the test ended may still hold a connection in its
        # thread: wait (a few seconds at most) for it to come back before closing them all.
        deadline = time.monotonic() + 5
        while db.engine.pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.05)
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleLog(list):
    """Every console error and page error a page produced (CSP violations among them)."""

    def errors(self):
        return [entry for entry in self if entry[0] in ("error", "pageerror")]


def _open(browser, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.console = ConsoleLog()
    page.on("console", lambda message: page.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: page.console.append(("pageerror", str(error))))
    return context, page


@pytest.fixture
def page(browser):
    """A fresh browser profile (no cookies) and one page; its console is in page.console."""
    context, page = _open(browser)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    context, page = _open(browser, java_script_enabled=False)
    yield page
    context.close()
