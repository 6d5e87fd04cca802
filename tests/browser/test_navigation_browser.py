"""The header's navigation at 320 px without script: nothing scrolls sideways, and the keyboard
reaches every link, each on screen, in the header's order."""

import pytest

pytestmark = pytest.mark.browser

LINKS = ["Reviews", "Genres", "Years", "About"]


def test_the_navigation_fits_and_is_reached_by_keyboard_at_320_px(live_server, page_without_js):
    page = page_without_js
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    for label in LINKS:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == label
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return [r.left, r.right, r.height]; })()"
        )
        assert box[0] >= 0 and box[1] <= 320 and box[2] >= 24  # on screen, big enough to tap
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/about")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator("h1").text_content() == "About Marquee"
