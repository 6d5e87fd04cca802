"""Posters in a real browser: the film page and the home page show them, decoded."""

import pytest

from tests.posters import add_poster_film

pytestmark = pytest.mark.browser

DEMO = "/films/the-way-back"
# Every image on the page that has finished loading, with what it decoded to.
IMAGES = """
[...document.querySelectorAll('picture img')].map(img => ({
  src: img.currentSrc, complete: img.complete, natural: img.naturalWidth,
  width: img.getBoundingClientRect().width, height: img.getBoundingClientRect().height,
}))
"""


def loaded(page, selector):
    page.wait_for_function(
        f"[...document.querySelectorAll({selector!r})].every(i => i.complete && i.naturalWidth)"
    )
    return page.evaluate(IMAGES)


def test_the_film_page_shows_its_poster_in_webp(live_server, page):
    path = add_poster_film(live_server.app)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + path)
    [poster] = loaded(page, ".film-poster img")
    # 15rem at 1x: the 320 px WebP, never the JPEG fallback.
    assert poster["src"].endswith("/320.webp") and poster["natural"] > 0
    assert (poster["width"], poster["height"]) == (240, 360)
    assert page.get_attribute(".film-poster img", "alt") == "Posted"
    assert page.console.errors() == []


def test_a_2x_screen_gets_the_480_rendition(live_server, browser):
    path = add_poster_film(live_server.app)
    context = browser.new_context(device_scale_factor=2, viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + path)
    [poster] = loaded(page, ".film-poster img")
    assert poster["src"].endswith("/480.webp") and poster["natural"] > 0
    context.close()


def test_its_room_is_kept_before_the_poster_arrives(live_server, page):
    path = add_poster_film(live_server.app)
    # Images held back: the box already has the poster's shape (width and height attributes).
    page.route("**/posters/**", lambda route: None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + path, wait_until="domcontentloaded")
    box = page.locator(".film-poster img").bounding_box()
    assert (box["width"], box["height"]) == (240, 360)


def test_the_demo_film_shows_its_title_card(live_server, page):
    page.goto(live_server.url + DEMO)
    [card] = loaded(page, ".film-poster img")
    assert "/posters/title-cards/the-way-back/" in card["src"] and card["src"].endswith(".svg")
    assert card["natural"] == 320
    assert page.console.errors() == []


def test_the_home_page_shows_small_posters(live_server, page):
    add_poster_film(live_server.app)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.locator(".card-poster img").last.scroll_into_view_if_needed()
    images = loaded(page, ".card-poster img")
    assert len(images) == 3  # the two newest, and the demo film (with a vote) in Top rated
    posters = [image for image in images if "/title-cards/" not in image["src"]]
    assert posters and all(image["src"].endswith("/160.webp") for image in posters)
    assert all(image["natural"] > 0 and image["width"] == 72 for image in images[:2])
    assert page.console.errors() == []
