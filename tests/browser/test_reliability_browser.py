"""The film page under its real Content-Security-Policy in Chromium: voting works and nothing is
blocked; a rate-limited vote shows its message in the block."""

import pytest

pytestmark = pytest.mark.browser

FILM = "/films/the-way-back"
LIMITED = "That was a lot of clicks in a short time. Wait a minute, then try again."


def test_the_page_loads_and_votes_with_no_csp_violation(live_server, page):
    response = page.goto(live_server.url + FILM)
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    # The vendored htmx ran (the form was upgraded), under that policy.
    page.wait_for_selector("#rating form[data-htmx-powered]")
    page.click("#rate-3")
    page.wait_for_selector("text=Your rating: 3 / 5")
    page.click("#rate-5")
    page.wait_for_selector("text=Your rating: 5 / 5")
    page.reload()
    page.wait_for_selector("text=Your rating: 5 / 5")
    # Chromium reports every CSP violation (a blocked script, style or attribute) as an error.
    assert page.console.errors() == []


def test_a_rate_limited_vote_is_told_in_the_block(live_server, page):
    page.goto(live_server.url + FILM)
    for n in range(10):
        stars = n % 2 + 1
        page.click(f"#rate-{stars}")
        page.wait_for_selector(f"text=Your rating: {stars} / 5")
    page.click("#rate-4")
    page.wait_for_selector(f"text={LIMITED}")
    assert "Your rating: 2 / 5" in page.inner_text("#rating")
    # The refused request is the one error the console may show (Chromium logs any 4xx).
    errors = page.console.errors()
    assert len(errors) == 1 and "status of 429" in errors[0][1]
