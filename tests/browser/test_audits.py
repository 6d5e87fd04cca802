"""Audits in Chromium: axe-core finds no violation, the console stays clean, nothing scrolls
sideways at 320 px; each on the home page, the film page before and after a vote, a film page
with a poster, the 404 page, search (results, hint, a refused query) and a person's, a genre's
and a year's page; the reviews, genres and years lists.

axe-core is the copy bundled in the axe-playwright-python package (no network). It is injected
with page.evaluate, which runs through the DevTools protocol and so is not subject to the page's
Content-Security-Policy: the pages are audited with their real CSP in force.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import add_films
from tests.posters import add_poster_film

pytestmark = pytest.mark.browser

FILM = "/films/the-way-back"
SCHEMES = ["light", "dark"]


def voted(page, url):
    """The film page after a vote cast through htmx."""
    page.goto(url + FILM)
    page.click("#rate-4")
    page.wait_for_selector("text=Your rating: 4 / 5")


def prepare(server, path):
    """The film with a poster, for its page and the home page (which then shows its card
    beside title cards); importing it again changes nothing."""
    if path in ("/", POSTER_FILM):
        add_poster_film(server.app)


def visit(page, server, path):
    prepare(server, path)
    if path == "voted":
        voted(page, server.url)
    else:
        page.goto(server.url + path)


POSTER_FILM = "/films/posted"
PAGES = ["/", FILM, POSTER_FILM, "voted", "/nowhere"]
PAGES = [
    "/",
    FILM,
    "voted",
    "/nowhere",
    "/search?q=way",
    "/search",
    "/search?q=%00",
    "/people/peter-weir",
    "/genres/drama",
    "/years/2010",
    "/reviews",
    "/genres",
    "/years",
    "/about",
]


def axe_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(live_server, page, path, scheme):
    page.emulate_media(color_scheme=scheme)
    visit(page, live_server, path)
    assert axe_violations(page) == []


def test_axe_finds_a_violation_when_there_is_one(live_server, page):
    page.goto(live_server.url + FILM)
    # A star button that has lost its screen-reader label: a violation axe must report.
    page.evaluate("document.getElementById('rate-1').querySelector('span').remove()")
    assert any(v.startswith("button-name") for v in axe_violations(page))


def collect_console(page):
    """Console errors other than the 404 status of a page that is meant to be a 404."""
    errors = []

    def record(message):
        own_status = message.text.startswith("Failed to load resource") and (
            message.location["url"] == page.url and page.url.endswith(("/nowhere", "%00"))
        )
        if message.type == "error" and not own_status:
            errors.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("path", [*PAGES, "/?page=2"])
def test_no_console_errors_or_csp_violations(live_server, page, path):
    # Before add_films, whose explicit ids PostgreSQL's id sequence does not know of.
    prepare(live_server, path)
    add_films(live_server.app, [(0, 0, 0, 0, 0)] * 30)
    errors = collect_console(page)
    visit(page, live_server, path)
    page.wait_for_load_state("networkidle")
    assert errors == []


def test_a_csp_violation_would_be_seen(live_server, page):
    errors = collect_console(page)
    page.goto(live_server.url + FILM)
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            "const s = document.createElement('script');"
            " s.textContent = '1'; document.body.append(s)"
        )
    assert any("Content Security Policy" in error for error in errors)


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_at_320_px(live_server, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    visit(page, live_server, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("scheme", SCHEMES)
def test_keyboard_focus_is_visible(live_server, page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/")
    for selector in ("skip-link", "site-name"):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == selector
        outline = page.evaluate(
            "[getComputedStyle(document.activeElement).outlineStyle,"
            " parseFloat(getComputedStyle(document.activeElement).outlineWidth)]"
        )
        assert outline[0] == "solid" and outline[1] >= 2


def _signed_in(page, live_server):
    from tests.browser.test_admin_browser import create_owner, sign_in

    create_owner(live_server)
    sign_in(page, live_server.url)


def _with_errors(page, url):
    page.goto(url + "/admin/new-film")
    page.fill("#f-slug", "Not A Slug")
    page.click("text=Create the film")
    page.wait_for_selector("#f-slug-error")


def _burst(page, url):
    page.goto(
        url + "/admin/films/the-way-back/votes/burst?start=2000-01-01T00:00:00"
        "&end=2100-01-01T00:00:00"
    )


def _poster_refused(page, url):
    page.goto(url + "/admin/films/the-way-back")
    page.set_input_files(
        "#f-poster", files=[{"name": "x.svg", "mimeType": "image/svg+xml", "buffer": b"<svg/>"}]
    )
    page.click("text=Upload the poster")
    page.wait_for_selector("#f-poster-error")


def _draft_preview(page, url):
    """A draft made in the form (unpublished by default), then its preview."""
    page.goto(url + "/admin/new-film")
    page.fill("#f-title", "A Draft")
    page.fill("#f-year", "2023")
    page.fill("#f-published", "2024-03-01")
    page.fill("#f-body", "Not public yet.")
    page.fill("#f-credits-director", "Some Director")
    page.click("text=Create the film")
    page.wait_for_selector("text=The film was created.")
    page.click("text=Preview its page")
    page.wait_for_selector("text=Preview: not public.")


def _replied(page, url):
    """The film page as an owner sees it after replying: the reply, and a reply box."""
    page.goto(url + FILM)
    page.fill("#comment-name", "Ann")
    page.fill("#comment-body", "Was the walk real?")
    page.click("text=Post comment")
    form = page.locator(".reply-form").first
    form.wait_for()
    form.get_by_label("Reply as the author").fill("It was.")
    form.locator("button").click()
    page.wait_for_selector(".comment-reply")


ADMIN_PAGES = {
    "comments": lambda page, url: page.goto(url + "/admin/comments"),
    "films": lambda page, url: page.goto(url + "/admin/films"),
    "films by status": lambda page, url: page.goto(url + "/admin/films?status=live"),
    "draft preview": _draft_preview,
    "film page with a reply": _replied,
    "new film": lambda page, url: page.goto(url + "/admin/new-film"),
    "film errors": _with_errors,
    "edit film": lambda page, url: page.goto(url + "/admin/films/the-way-back"),
    "poster refused": _poster_refused,
    "votes": lambda page, url: page.goto(url + "/admin/films/the-way-back/votes"),
    "burst confirmation": _burst,
    "about page": lambda page, url: page.goto(url + "/admin/about"),
    "redirects": lambda page, url: page.goto(url + "/admin/redirects"),
}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations_on_the_sign_in_page(live_server, page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/admin/sign-in")
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_axe_finds_no_violations_on_admin_pages(live_server, page, name, scheme):
    from tests.admin.test_comments_admin import held_comment

    held_comment(live_server.app)
    _signed_in(page, live_server)
    errors = collect_console(page)
    page.emulate_media(color_scheme=scheme)
    ADMIN_PAGES[name](page, live_server.url)
    assert axe_violations(page) == []
    # The form sent with errors is answered 422 on purpose: Chromium logs that status.
    expected = ["Failed to load resource: the server responded with a status of 422"]
    assert [e for e in errors if not any(e.startswith(x) for x in expected)] == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
