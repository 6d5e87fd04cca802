"""The new-film form: the slug made from the title when left empty, and the poster given in
the same form, checked by the poster pipeline, with nothing saved when anything is wrong."""

import io
import re
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.core import sizes
from app.extensions import db
from app.models import Film
from tests.admin.helpers import text_of
from tests.admin.test_films_admin import NEW
from tests.admin.test_posters_admin import SVG
from tests.helpers import SLUG
from tests.posters import encoded, photo


def create(owner, fields, poster=None, htmx=False):
    if poster is not None:
        fields = {**fields, "poster": (io.BytesIO(poster[0]), poster[1])}
    return owner.post("/admin/new-film", fields, htmx=htmx, content_type="multipart/form-data")


def films(app) -> dict[str, str | None]:
    with app.app_context():
        return dict(db.session.execute(select(Film.slug, Film.poster)).all())


def poster_files(app) -> list[str]:
    """Every file in the poster directory, by its path there."""
    directory = Path(app.config["POSTER_DIR"])
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def test_the_form_is_multipart_and_loads_the_slug_script_from_static(owner):
    html = owner.get("/admin/new-film").get_data(as_text=True)
    form = html[html.index('<form method="post" action="/admin/new-film"') :]
    assert 'enctype="multipart/form-data" data-slug-from-title' in form.split(">", 1)[0]
    assert re.search(r'<script src="/assets/[0-9a-f]{16}/slug\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", html)
    assert 'type="file" id="f-poster" name="poster"' in html
    edit = owner.get(f"/admin/films/{SLUG}").get_data(as_text=True)
    assert "slug.js" not in edit and "data-slug-from-title" not in edit


def test_a_slug_left_empty_is_made_from_the_title(app, owner):
    response = create(owner, {**NEW, "slug": "", "title": "Sławomir’s Ærø: Part II"})
    assert response.status_code == 303
    assert response.location.endswith("/admin/films/slawomir-s-aero-part-ii")
    assert "slawomir-s-aero-part-ii" in films(app)


def test_a_made_slug_that_is_taken_is_refused_and_shown_to_be_changed(app, owner):
    response = create(owner, {**NEW, "slug": "", "title": "The Way Back"}, htmx=True)
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422 and "another film has the address /films/the-way-back" in html
    )
    assert 'name="slug" aria-describedby="f-slug-hint f-slug-error"' in html
    assert 'value="the-way-back"' in html
    assert len(films(app)) == 1


def test_a_new_film_with_its_poster(app, owner, client):
    response = create(owner, NEW, (encoded(photo((400, 600))), "poster.jpg"))
    assert response.status_code == 303
    digest = films(app)["a-new-film"]
    assert digest and f"{digest}/320.webp" in poster_files(app)
    assert f"/posters/{digest}/" in client.get("/films/a-new-film").get_data(as_text=True)


def test_a_refused_poster_saves_nothing_with_its_message_by_the_field(app, owner):
    for htmx in (False, True):
        response = create(owner, NEW, (SVG, "poster.png"), htmx=htmx)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert '<p class="field-error" id="f-poster-error">poster.png: is not a JPEG' in html
        assert 'aria-describedby="f-poster-hint f-poster-error" aria-invalid="true"' in html
        assert "<script>alert" not in html and 'value="A New Film"' in html
    assert list(films(app)) == [SLUG] and poster_files(app) == []


def test_every_problem_shows_at_once_and_a_good_poster_is_not_kept(app, owner):
    bad = create(owner, {**NEW, "year": "soon"}, (SVG, "poster.jpg"))
    text = text_of(bad)
    assert bad.status_code == 422
    assert "Enter a year such as 2010." in text and "poster.jpg: is not a JPEG" in text
    good_poster = create(owner, {**NEW, "title": ""}, (encoded(photo((200, 300))), "p.jpg"))
    assert good_poster.status_code == 422 and "Title: is missing." in text_of(good_poster)
    assert list(films(app)) == [SLUG] and poster_files(app) == []


def test_too_large_a_poster_or_no_token_saves_nothing(app, owner):
    boundary, body = encode_multipart(
        {
            **NEW,
            "csrf_token": owner.token,
            # Past what the form may send with a poster (one of 10 MB to 13.7 MB: a 422).
            "poster": FileStorage(io.BytesIO(b"\xff" * sizes.NEW_FILM_FORM_BYTES), "p.jpg"),
        }
    )
    huge = owner.client.post(
        "/admin/new-film", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert huge.status_code == 413 and "larger than a poster may be" in text_of(huge)
    assert 'id="f-poster-error"' in huge.get_data(as_text=True)
    without_token = owner.client.post(
        "/admin/new-film",
        data={**NEW, "poster": (io.BytesIO(encoded(photo((200, 300)))), "p.jpg")},
        content_type="multipart/form-data",
    )
    assert without_token.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Film)) == 1
    assert poster_files(app) == []
