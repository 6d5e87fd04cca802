"""The new-film form in Chromium: the slug follows the title as it is typed until the owner
types a slug of their own, and the poster goes with the film in one submission by htmx."""

import pytest

from tests.browser.test_admin_browser import create_owner, sign_in
from tests.posters import encoded, photo

pytestmark = pytest.mark.browser


def test_the_slug_follows_the_title_until_the_owner_edits_it(live_server, page):
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/new-film")
    page.evaluate("window.notReloaded = true")
    title = page.locator("#f-title")
    title.press_sequentially("Sławomir’s Ærø")
    assert page.input_value("#f-slug") == "slawomir-s-aero"
    title.press_sequentially(": Part II")
    assert page.input_value("#f-slug") == "slawomir-s-aero-part-ii"

    # The owner's own slug is left alone, whatever the title becomes.
    page.fill("#f-slug", "")
    page.locator("#f-slug").press_sequentially("my-own")
    title.fill("Sławomir’s Ærø: Part II Redux")
    assert page.input_value("#f-slug") == "my-own"
    # Emptied, the slug box follows the title again.
    page.fill("#f-slug", "")
    title.press("End")
    title.press_sequentially("!")
    assert page.input_value("#f-slug") == "slawomir-s-aero-part-ii-redux"

    # One submission, by htmx: the film and its poster.
    page.fill("#f-year", "2023")
    page.fill("#f-published", "2024-03-01")
    page.fill("#f-body", "A film with its poster.")
    page.fill("#f-credits-director", "Some Director")
    page.set_input_files(
        "#f-poster",
        files=[{"name": "poster.jpg", "mimeType": "image/jpeg", "buffer": encoded(photo())}],
    )
    page.click("text=Create the film")
    page.wait_for_selector("text=The film was created.")
    assert page.url.endswith("/admin/films/slawomir-s-aero-part-ii-redux")
    assert "/posters/" in page.locator(".admin-poster img").get_attribute("src")
    assert page.console.errors() == []


def test_a_refused_poster_is_shown_beside_its_field_without_a_reload(live_server, page):
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/new-film")
    page.evaluate("window.notReloaded = true")
    page.fill("#f-title", "Bad Poster")
    page.set_input_files(
        "#f-poster",
        files=[{"name": "poster.jpg", "mimeType": "image/jpeg", "buffer": b"<svg></svg>"}],
    )
    page.click("text=Create the film")
    page.wait_for_selector("#f-poster-error")
    assert page.evaluate("window.notReloaded") is True
    assert "is not a JPEG, PNG or WebP image" in page.inner_text("#f-poster-error")
    # What was typed and filled in stays.
    assert page.input_value("#f-slug") == "bad-poster"


def shown_comment(app, name="Ann", body="Was the walk real?"):
    from app.comments import posting

    with app.app_context():
        assert posting.post(1, f"visitor-{name}", name, body) == "approved"


def test_an_owner_replies_on_the_film_page_in_place(live_server, page, browser):
    shown_comment(live_server.app)
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/films/the-way-back")
    page.evaluate("window.notReloaded = true")
    thread = page.locator("li.comment", has_text="Was the walk real?").first
    thread.get_by_label("Reply as the author").fill("It was, mostly.")
    thread.locator("button", has_text="Post the reply").click()
    reply = page.locator(".comment-replies .comment-reply")
    reply.wait_for()
    assert "author" in reply.inner_text().lower() and "It was, mostly." in reply.inner_text()
    assert page.evaluate("window.notReloaded") is True
    # Refused in place, beside the box: a reply of white space (an empty box the browser
    # itself refuses: it is `required`).
    thread = page.locator("li.comment", has_text="Was the walk real?").first
    assert thread.get_by_label("Reply as the author").input_value() == ""
    thread.get_by_label("Reply as the author").fill("   ")
    thread.locator("button", has_text="Post the reply").click()
    page.wait_for_selector(".reply-form .field-error")
    assert "Please write a reply." in page.inner_text(".reply-form .field-error")
    # The refusal is answered 422 on purpose: Chromium logs that status, and nothing else.
    assert [e for e in page.console.errors() if "status of 422" not in e[1]] == []

    # A visitor sees the reply, marked, and no reply box.
    visitor = browser.new_context()
    try:
        other = visitor.new_page()
        other.goto(live_server.url + "/films/the-way-back")
        assert "It was, mostly." in other.locator(".comment-replies").inner_text()
        assert other.locator(".reply-form").count() == 0
    finally:
        visitor.close()
