"""The owner's review in Chromium: both verdicts and the poster before the article on a phone,
beside it on a wide screen; a spoiler closed until opened, without JavaScript too; axe finds
nothing on an owner-scored page with the spoiler closed and open; the admin's htmx preview."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Film, utcnow
from tests.browser.test_admin_browser import create_owner, sign_in
from tests.browser.test_audits import axe_violations

pytestmark = pytest.mark.browser

FILM = "/films/the-way-back"
SECRET = "Janusz reaches India."


def scored(server):
    """The demo film with the owner's score, a verdict and a spoiler at the end of its review."""
    with server.app.app_context():
        db.session.execute(
            update(Film).values(
                score_halves=9,
                verdict="A long, hard walk, beautifully shot.",
                body=Film.body + f"\n\n```spoiler\n{SECRET} *Only* some of them.\n```\n",
                updated_at=utcnow(),
            )
        )
        db.session.commit()


def top(page, selector):
    return page.locator(selector).first.bounding_box()


def test_on_a_phone_the_verdicts_and_poster_come_before_the_article(live_server, browser):
    scored(live_server)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + FILM)
    article = top(page, ".review-body")
    assert top(page, ".our-verdict")["y"] < article["y"]
    assert top(page, ".readers-verdict")["y"] < article["y"]
    assert top(page, ".film-poster")["y"] < article["y"]
    assert top(page, ".credits")["y"] > article["y"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    wide = top(page, ".review-body")
    assert top(page, ".film-poster")["x"] > wide["x"] + wide["width"] - 1
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_spoiler_is_closed_until_opened_and_axe_finds_nothing(live_server, page, scheme):
    scored(live_server)
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + FILM)
    assert not page.get_by_text(SECRET).is_visible()
    assert axe_violations(page) == []
    page.click("summary:has-text('Spoiler')")
    assert page.get_by_text(SECRET).is_visible()
    assert axe_violations(page) == []
    assert page.console.errors() == []


def test_a_vote_moves_the_readers_numbers_by_the_title_too(live_server, page):
    page.goto(live_server.url + FILM)
    assert page.inner_text("#readers-verdict") == "Readers: 5 / 5 from 1 vote"
    page.click("#rate-2")
    page.wait_for_selector("text=Your rating: 2 / 5")
    assert page.inner_text("#readers-verdict") == "Readers: 3.5 / 5 from 2 votes"
    assert page.locator("#readers-verdict").count() == 1
    assert page.console.errors() == []


def test_a_spoiler_opens_without_javascript(live_server, page_without_js):
    scored(live_server)
    page_without_js.goto(live_server.url + FILM)
    assert not page_without_js.get_by_text(SECRET).is_visible()
    page_without_js.click("summary:has-text('Spoiler')")
    assert page_without_js.get_by_text(SECRET).is_visible()


def test_the_admin_previews_the_review_in_place_without_saving(live_server, page):
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/films/the-way-back")
    page.fill("#f-body", "## Seen twice\n\nA *fine* film.\n\n```spoiler\nIt ends well.\n```")
    page.click("button:has-text('Preview the review')")
    page.wait_for_selector("#body-preview .body-preview-title")
    assert page.inner_html("#body-preview .review-body").startswith("<h2>Seen twice</h2>")
    assert page.locator("#body-preview em").inner_text() == "fine"
    assert page.url.endswith("/admin/films/the-way-back")
    page.fill("#f-body", "See [this](javascript:alert(1)).")
    page.click("button:has-text('Preview the review')")
    page.wait_for_selector("#f-body-preview-error")
    assert "not a web page or mail address" in page.inner_text("#f-body-preview-error")
    assert page.console.errors() == []
    page.goto(live_server.url + FILM)
    assert "Seen twice" not in page.content()  # a preview saves nothing
