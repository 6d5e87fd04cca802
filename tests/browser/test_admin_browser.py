"""The owner's desk in Chromium, as the README tells a new owner to use it: an account made
with the CLI, sign in, add a film and see it on the home page, approve a held comment, remove
a burst of votes; and the form's errors shown beside their fields by htmx."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.core.database import write_transaction
from app.extensions import db
from app.models import Film, Vote, utcnow
from app.ratings import votes
from tests.posters import encoded, photo

pytestmark = pytest.mark.browser

EMAIL = "new.owner@example.com"
PASSWORD = "a long enough password"
SPAM = "Great: http://a.example http://b.example http://c.example"


def create_owner(live_server):
    result = live_server.app.test_cli_runner().invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


def sign_in(page, url):
    page.goto(url + "/admin")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/admin/comments")


def burst_of_votes(app, count):
    with app.app_context():
        film_id = db.session.scalar(select(Film.id).where(Film.slug == "the-way-back"))
        for i in range(count):
            votes.seed(film_id, f"stuffer-{i}", 1)
        # The demo's own vote is older than the burst.
        with write_transaction() as session:
            session.execute(
                update(Vote)
                .where(Vote.visitor.notlike("stuffer-%"))
                .values(created_at=utcnow() - timedelta(hours=1))
            )


def test_a_new_owner_follows_the_readme(live_server, page):
    create_owner(live_server)
    url = live_server.url
    sign_in(page, url)

    # A film, added in the form, shows on the home page.
    page.click("nav >> text=Films")
    page.click("text=Add a film")
    page.fill("#f-title", "Owner's New Film")
    page.fill("#f-slug", "owners-new-film")
    page.fill("#f-year", "2023")
    page.fill("#f-published", "2024-03-01")
    page.check("#f-is_published")
    page.fill("#f-body", "A film the owner added in the browser.")
    page.fill("#f-credits-director", "Some Director")
    page.click("text=Create the film")
    page.wait_for_selector("text=The film was created.")
    assert page.url.endswith("/admin/films/owners-new-film")
    # Its poster, uploaded and previewed.
    page.set_input_files(
        "#f-poster",
        files=[{"name": "poster.jpg", "mimeType": "image/jpeg", "buffer": encoded(photo())}],
    )
    page.click("text=Upload the poster")
    page.wait_for_selector("text=The poster was saved")
    preview = page.locator(".admin-poster img")
    assert "/posters/" in preview.get_attribute("src")
    assert page.evaluate("document.querySelector('.admin-poster img').naturalWidth") > 0
    page.goto(url + "/")
    assert page.is_visible("text=Owner's New Film")
    card = page.locator(".card", has_text="Owner's New Film")
    assert "/posters/" in card.locator("img").get_attribute("src")

    # A held comment, posted by a visitor, approved with one click, in place.
    page.goto(url + "/films/the-way-back")
    page.fill("#comment-name", "Link Lover")
    page.fill("#comment-body", SPAM)
    page.click("text=Post comment")
    page.wait_for_selector("text=read by a moderator first")
    page.goto(url + "/admin/comments")
    row = page.locator(".admin-row", has_text="Link Lover")
    row.locator("button:has-text('Approve')").click()
    page.locator(".admin-row", has_text="Link Lover").locator("text=Shown").wait_for()
    assert page.url.endswith("/admin/comments")  # in place, no reload
    page.goto(url + "/films/the-way-back")
    assert page.is_visible("text=Link Lover")

    # A burst of 1-star votes, counted, confirmed and removed.
    burst_of_votes(live_server.app, 4)
    page.goto(url + "/admin/films/the-way-back/votes")
    now = utcnow()
    page.fill("#f-start", (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%S"))
    page.fill("#f-end", (now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S"))
    page.click("text=Count the votes")
    confirm = page.locator("#burst-confirm").inner_text()
    assert "4 votes were cast" in confirm and "average 1.8, to 1 votes, average 5" in confirm
    page.click("text=Remove 4 votes")
    page.wait_for_selector("text=Removed 4 votes; the average went from 1.8 to 5.")
    page.goto(url + "/films/the-way-back")
    assert "1 star\t\t0 (0%)" in page.locator("#rating").inner_text()


def test_the_film_form_shows_errors_beside_fields_without_a_reload(live_server, page):
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/new-film")
    page.evaluate("window.notReloaded = true")
    page.fill("#f-title", "Half Done")
    page.fill("#f-slug", "Not A Slug")
    page.click("text=Create the film")
    page.wait_for_selector("#f-slug-error")
    assert page.evaluate("window.notReloaded") is True
    assert "single hyphens" in page.inner_text("#f-slug-error")
    assert page.get_attribute("#f-slug", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "f-slug"  # the first field in error
    assert page.input_value("#f-title") == "Half Done"
    assert page.is_visible("#f-body-error")


def test_a_signed_out_htmx_action_is_told_to_sign_in(live_server, page):
    create_owner(live_server)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/films/the-way-back")
    # Signed out meanwhile (a new password signs the owner out everywhere).
    result = live_server.app.test_cli_runner().invoke(
        args=["users", "set-password", EMAIL, "--password-stdin"], input="another password!\n"
    )
    assert result.exit_code == 0
    page.click("text=Save the film")
    page.wait_for_selector("text=You are signed out.")
