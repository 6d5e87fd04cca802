"""The rating block in a real browser: htmx swaps it in place, keyboard and no-JS paths work."""

import pytest

pytestmark = pytest.mark.browser

FILM = "/films/the-way-back"


def test_click_a_star_updates_the_block_without_a_reload(live_server, page):
    page.goto(live_server.url + FILM)
    # A page reload would lose this marker; an htmx swap keeps it.
    page.evaluate("window.notReloaded = true")
    page.click("#rate-4")
    page.wait_for_selector("text=Your rating: 4 / 5")
    status = page.inner_text("#rating-status")
    assert "Thank you for rating this movie!" in status
    assert "Average rating 4.5 / 5. Vote count: 2" in " ".join(status.split())
    assert page.evaluate("window.notReloaded") is True
    assert page.get_attribute("#rate-4", "aria-current") == "true"
    assert page.console.errors() == []


def test_change_and_remove_with_the_keyboard_only(live_server, page):
    page.goto(live_server.url + FILM)
    page.focus("#rate-1")
    for _ in range(2):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rate-3"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your rating: 3 / 5")
    # Focus stays on the star that was pressed, inside the swapped block.
    assert page.evaluate("document.activeElement.id") == "rate-3"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    page.wait_for_selector("text=Your rating: 2 / 5")
    assert page.evaluate("document.activeElement.id") == "rate-2"
    page.focus("#rating-remove")
    page.keyboard.press("Enter")
    page.wait_for_selector("#rating-remove", state="detached")
    assert "Average rating 5 / 5. Vote count: 1" in " ".join(page.inner_text("#rating").split())
    assert page.evaluate("document.getElementById('rating').contains(document.activeElement)")
    assert page.console.errors() == []


def test_the_status_is_a_polite_live_region_that_survives_the_swap(live_server, page):
    page.goto(live_server.url + FILM)
    handle = page.query_selector("#rating-status")
    assert handle.get_attribute("aria-live") == "polite"
    page.click("#rate-5")
    page.wait_for_selector("text=Your rating: 5 / 5")
    # The same element is still in the document: screen readers announce its new text.
    assert page.evaluate("(el) => el.isConnected", handle)


def test_voting_without_javascript_posts_and_redirects_back(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + FILM)
    with page.expect_navigation():
        page.click("#rate-2")
    assert page.url.endswith(FILM + "#rating")
    assert "Your rating: 2 / 5" in page.inner_text("#rating")
    assert "Average rating 3.5 / 5. Vote count: 2" in " ".join(page.inner_text("#rating").split())
    with page.expect_navigation():
        page.click("#rating-remove")
    assert "Your rating" not in page.inner_text("#rating")


def test_a_double_click_counts_once(live_server, page):
    page.goto(live_server.url + FILM)
    page.dblclick("#rate-1")
    page.wait_for_selector("text=Your rating: 1 / 5")
    page.reload()
    assert "Vote count: 2" in " ".join(page.inner_text("#rating").split())
