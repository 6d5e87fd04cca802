"""The comments section in a real browser: htmx posts and swaps it, and it works without JS."""

import pytest

pytestmark = pytest.mark.browser

FILM = "/films/the-way-back"
NAME = "#comments input[name=name]"
COMMENT = "#comments textarea[name=comment]"


def write(page, name: str, comment: str) -> None:
    page.fill(NAME, name)
    page.fill(COMMENT, comment)


def test_post_a_comment_with_htmx_and_see_it_without_a_reload(live_server, page):
    page.goto(live_server.url + FILM)
    page.evaluate("window.notReloaded = true")
    status = page.query_selector("#comments-status")
    write(page, "Ann", "A journey worth taking.\n\nThe ending stays with you.")
    page.click("#comment-submit")
    page.wait_for_selector("#comments .comment-author:text('Ann')")
    assert page.evaluate("window.notReloaded") is True
    comment = page.inner_text("#comments .comment")
    assert "A journey worth taking." in comment and "The ending stays with you." in comment
    assert "(1 comment)" in page.inner_text("#comments-title")
    assert page.inner_text("#comments-status").strip() == "Thank you for your comment!"
    # The live region is the same element, so screen readers announce its new words.
    assert page.evaluate("(el) => el.isConnected", status)
    assert page.input_value(NAME) == "" and page.input_value(COMMENT) == ""
    assert page.evaluate("document.activeElement.id") == "comment-submit"
    assert page.console.errors() == []


def test_a_second_comment_also_clears_the_form(live_server, page):
    page.goto(live_server.url + FILM)
    for n in (1, 2):
        write(page, f"Reader {n}", f"Thought {n}")
        page.click("#comment-submit")
        page.wait_for_selector(f"#comments .comment-author:text('Reader {n}')")
        assert page.input_value(NAME) == "" and page.input_value(COMMENT) == ""
    assert page.locator("#comments .comment").count() == 2
    assert page.console.errors() == []


def test_a_refused_comment_keeps_its_text_and_focuses_the_field(live_server, page):
    page.goto(live_server.url + FILM)
    # Only spaces: the browser's `required` lets it through, the server's trimming does not.
    write(page, "   ", "Keep every word of this.")
    page.click("#comment-submit")
    page.wait_for_selector("#comments .field-error")
    assert page.inner_text("#comments .field-error") == "Please enter your name."
    assert page.input_value(COMMENT) == "Keep every word of this."
    assert page.get_attribute(NAME, "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.name") == "name"
    assert "not posted yet" in page.inner_text("#comments-status")
    page.keyboard.type("Ann")
    page.click("#comment-submit")
    page.wait_for_selector("#comments .comment-author:text('Ann')")
    assert page.query_selector("#comments .field-error") is None
    assert page.input_value(COMMENT) == ""
    # Chromium reports every 4xx response in the console; that one line is the only error.
    refused = "Failed to load resource: the server responded with a status of 422"
    assert [text for _, text in page.console.errors() if not text.startswith(refused)] == []
    assert len(page.console.errors()) == 1


def test_a_body_too_large_to_read_leaves_the_typed_text_in_place(live_server, page):
    page.goto(live_server.url + FILM)
    huge = "word " * 20_000
    write(page, "Ann", huge)
    page.click("#comment-submit")
    page.wait_for_selector("text=far more than a rating or a comment")
    assert page.input_value(NAME) == "Ann" and page.input_value(COMMENT) == huge


def test_a_comment_with_many_links_is_held(live_server, page):
    page.goto(live_server.url + FILM)
    write(page, "Linker", "https://a.example https://b.example https://c.example")
    page.click("#comment-submit")
    page.wait_for_selector("text=yours will appear once it is approved")
    assert page.query_selector("#comments .comment") is None
    assert page.console.errors() == []


def test_the_stars_of_a_rater_show_beside_their_comment(live_server, page):
    page.goto(live_server.url + FILM)
    page.click("#rate-4")
    page.wait_for_selector("text=Your rating: 4 / 5")
    write(page, "Rater", "Four stars from me.")
    page.click("#comment-submit")
    page.wait_for_selector("#comments .comment-stars")
    assert "rated it 4 out of 5" in page.inner_text("#comments .comment")
    assert page.console.errors() == []


def test_post_a_comment_without_javascript(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + FILM)
    write(page, "No Script", "Plain forms still work.")
    with page.expect_navigation():
        page.click("#comment-submit")
    assert page.url.endswith(FILM + "#comments")
    assert "Plain forms still work." in page.inner_text("#comments .comment")
    assert "Thank you for your comment!" in page.inner_text("#comments-status")
    assert page.input_value(NAME) == ""


def test_a_refused_comment_without_javascript_keeps_its_text(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + FILM)
    write(page, "  ", "Still here after the round trip.")
    with page.expect_navigation():
        page.click("#comment-submit")
    assert page.inner_text("#comments .field-error") == "Please enter your name."
    assert page.input_value(COMMENT) == "Still here after the round trip."
    assert page.query_selector("#comments .comment") is None
