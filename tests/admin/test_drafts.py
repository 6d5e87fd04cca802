"""Drafts, scheduled and live films: the status the admin shows and filters by, and the
owners' preview, which no visitor, search engine or kept page ever reaches."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import Film
from tests.admin.helpers import text_of
from tests.helpers import FILM_URL, HTMX, SLUG, add_films

PREVIEW_URL = f"/admin/films/{SLUG}/preview"
BANNER = "Preview: not public."
GOOGLEBOT = {
    "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
}


def set_demo_film(app, published: bool, days_from_today: int = 0) -> None:
    """Change the demo film's state in its row alone: its updated_at stays, as after a change
    made outside the admin, so that only the status can keep a kept page from being served."""
    today = datetime.now(UTC).date()  # the database's CURRENT_DATE, which both keep in UTC
    with app.app_context():
        db.session.execute(
            update(Film)
            .where(Film.slug == SLUG)
            .values(is_published=published, published_on=today + timedelta(days=days_from_today))
        )
        db.session.commit()


def kept(app) -> dict[str, list]:
    """The keys held in each of the film page's caches, by cache."""
    found = {name: app.extensions.get(f"marquee.cache.{name}") for name in ("shells", "pages")}
    return {name: list(kept._items) for name, kept in found.items() if kept is not None}


def statuses(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Film.slug, Film.status())).all())


@pytest.mark.parametrize(
    ("published", "days", "status"),
    [
        (False, -3, "draft"),
        (False, 3, "draft"),
        (True, 1, "scheduled"),
        (True, 0, "live"),
        (True, -400, "live"),
    ],
)
def test_the_status_follows_what_visitors_may_see(app, client, published, days, status):
    set_demo_film(app, published, days)
    assert statuses(app)[SLUG] == status
    assert client.get(FILM_URL).status_code == (200 if status == "live" else 404)


def test_the_list_shows_and_filters_by_status(app, owner):
    (live,) = add_films(app, [(0, 0, 0, 0, 0)])
    set_demo_film(app, True, 2)
    listed = text_of(owner.get("/admin/films"))
    assert "The Way Back 2010 Scheduled · Preview The Way Back" in listed
    assert re.search(rf"Film {live.removeprefix('film-')} \d{{4}} Live \d", listed)
    for status, shown in (("scheduled", SLUG), ("live", live)):
        page = owner.get(f"/admin/films?status={status}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and f"1 {status} film." in text_of(page)
        hidden = live if shown == SLUG else SLUG
        assert f"/admin/films/{shown}" in html and f"/admin/films/{hidden}" not in html
        assert f'href="/admin/films?status={status}" aria-current="page"' in html
    assert "0 draft films." in text_of(owner.get("/admin/films?status=draft"))
    searched = owner.get("/admin/films?q=way&status=scheduled")
    assert "1 scheduled film with “way” in the title." in text_of(searched)
    assert 'name="status" value="scheduled"' in searched.get_data(as_text=True)


def test_an_unknown_status_is_400_with_a_message(owner):
    for value in ("published", "Draft", "%00"):
        response = owner.get(f"/admin/films?status={value}")
        assert response.status_code == 400
        assert "Status: choose one of draft, scheduled, live" in text_of(response)


@pytest.mark.parametrize(("published", "days"), [(False, 0), (True, 5)])
def test_an_owner_previews_a_draft_or_scheduled_film(app, owner, client, published, days):
    set_demo_film(app, published, days)
    response = owner.get(PREVIEW_URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and BANNER in html
    assert '<h1 id="film-title">The Way Back</h1>' in html and 'id="rating"' in html
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'rel="canonical"' not in html
    assert response.headers["Cache-Control"] == "no-store, private"
    assert "Cookie" in response.headers["Vary"]
    # Still nowhere for visitors, nor its title card, which the preview carries inline.
    assert client.get(FILM_URL).status_code == 404
    assert '<img src="data:image/svg+xml;base64,' in html
    for card in re.findall(r'"(/posters/title-cards/[^"]+)"', html):
        assert client.get(card).status_code == 404
    edit = owner.get(f"/admin/films/{SLUG}").get_data(as_text=True)
    assert '<img src="data:image/svg+xml;base64,' in edit


def test_the_edit_form_links_to_the_preview_until_the_film_is_live(app, owner):
    set_demo_film(app, False)
    edit = owner.get(f"/admin/films/{SLUG}").get_data(as_text=True)
    assert "Draft" in edit and f'href="{PREVIEW_URL}"' in edit
    set_demo_film(app, True)
    edit = owner.get(f"/admin/films/{SLUG}").get_data(as_text=True)
    assert f'href="{PREVIEW_URL}"' not in edit and f'href="{FILM_URL}"' in edit
    # A live film's preview is its page.
    response = owner.get(PREVIEW_URL)
    assert response.status_code == 303 and response.location == FILM_URL
    assert owner.get("/admin/films/nowhere/preview").status_code == 404


@pytest.mark.parametrize("headers", [{}, GOOGLEBOT])
def test_nobody_else_reaches_a_draft(app, client, headers):
    set_demo_film(app, False)
    for url in (FILM_URL, f"{FILM_URL}/rating", f"{FILM_URL}?comments_page=1"):
        assert client.get(url, headers=headers).status_code == 404, url
    response = client.get(PREVIEW_URL, headers=headers)
    assert response.status_code == 303 and "/admin/sign-in" in response.location
    assert BANNER not in response.get_data(as_text=True)
    htmx = client.get(PREVIEW_URL, headers={**headers, **HTMX})
    assert htmx.status_code == 401 and BANNER not in htmx.get_data(as_text=True)
    assert SLUG not in client.get("/sitemap.xml", headers=headers).get_data(as_text=True)


def test_a_signed_out_owner_loses_the_preview(app, owner):
    set_demo_film(app, False)
    assert owner.get(PREVIEW_URL).status_code == 200
    owner.post("/admin/sign-out")
    response = owner.get(PREVIEW_URL)
    assert response.status_code == 303 and "/admin/sign-in" in response.location


def test_a_page_kept_while_live_is_never_served_once_unpublished(app, client):
    assert client.get(FILM_URL).status_code == 200  # now kept, as of the film's updated_at
    set_demo_film(app, False)  # updated_at unchanged: the kept page's version still matches
    assert client.get(FILM_URL).status_code == 404
    set_demo_film(app, True, 1)
    assert client.get(FILM_URL).status_code == 404


def test_the_preview_never_enters_the_page_caches(app, owner, client):
    set_demo_film(app, False)
    before = kept(app)
    assert BANNER in owner.get(PREVIEW_URL).get_data(as_text=True)
    assert kept(app) == before
    # Published with its row's version unchanged: a kept preview would be served now.
    set_demo_film(app, True)
    page = client.get(FILM_URL).get_data(as_text=True)
    assert BANNER not in page and 'name="robots"' not in page and 'rel="canonical"' in page
