"""Active search in a real browser: typing in the header's box swaps the results in without a
reload, the address follows, Back restores the results before, all by keyboard; and without
JavaScript the same box is a plain GET form."""

import re

import pytest

from tests.catalog import import_catalog

pytestmark = pytest.mark.browser

BOX = "#site-search-q"


@pytest.fixture
def catalog(live_server, tmp_path):
    import_catalog(live_server.app, tmp_path)


def results(page):
    return page.eval_on_selector_all(
        "main .card-title a", "links => links.map(a => a.getAttribute('href'))"
    )


def test_typing_updates_the_results_without_a_reload_and_back_restores_them(
    live_server, page, catalog
):
    page.goto(live_server.url + "/films/the-way-back")
    page.evaluate("window.notReloaded = true")
    # Keyboard only: skip link, site name, the four links of the site's navigation, the search box.
    for _ in range(7):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("weir", delay=30)
    page.wait_for_selector("text=3 films found")
    assert set(results(page)) == {
        "/films/the-truman-show",
        "/films/dead-poets-society",
        "/films/the-way-back",
    }
    assert page.url == live_server.url + "/search?q=weir"
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "site-search-q"  # still typing

    page.keyboard.press("Control+A")
    page.keyboard.type("pawel", delay=30)
    page.wait_for_selector("text=1 film found")
    assert results(page) == ["/films/ida"]
    assert page.url == live_server.url + "/search?q=pawel"
    assert page.evaluate("window.notReloaded") is True

    page.go_back()
    page.wait_for_selector("text=3 films found")
    assert page.url == live_server.url + "/search?q=weir"
    assert len(results(page)) == 3
    page.go_back()
    page.wait_for_selector("#film-title")
    assert page.url == live_server.url + "/films/the-way-back"
    assert page.console.errors() == []


def test_results_are_reached_and_opened_by_keyboard(live_server, page, catalog):
    page.goto(live_server.url + "/")
    page.focus(BOX)
    page.keyboard.type("truman", delay=30)
    page.wait_for_selector("text=1 film found")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the first result
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/films/the-truman-show"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/films/the-truman-show$"))
    assert page.inner_text("h1") == "The Truman Show"


def test_a_cleared_box_shows_the_hint_and_a_bad_query_its_message(live_server, page, catalog):
    page.goto(live_server.url + "/")
    page.focus(BOX)
    page.keyboard.type("ida", delay=30)
    page.wait_for_selector("text=1 film found")
    page.fill(BOX, "")
    page.wait_for_selector("text=The start of a word is enough")
    # A control character cannot be typed, but can be pasted: 400 with a message in place.
    page.evaluate(
        "const box = document.querySelector('#site-search-q');"
        " box.value = 'a\\u0007b'; box.dispatchEvent(new Event('input', {bubbles: true}))"
    )
    page.wait_for_selector("text=cannot be typed")


def test_without_javascript_the_box_is_a_plain_form(live_server, page_without_js, catalog):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.fill(BOX, "Sławomir")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search\?q=S%C5%82awomir$"))
    assert results(page) == ["/films/the-way-back"]
    assert page.input_value(BOX) == "Sławomir"
