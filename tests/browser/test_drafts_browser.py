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
