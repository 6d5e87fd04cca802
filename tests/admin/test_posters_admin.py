"""Poster upload in the admin: kept as the poster issue processes it (re-encoded, stripped),
shown as a preview; SVG, HTML and polyglot files refused; too large refused; CSRF checked."""

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Film
from tests.helpers import FILM_URL, SLUG
from tests.posters import encoded, photo

UPLOAD_URL = f"/admin/films/{SLUG}/poster"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><script>alert(1)</script>"
# Starts as a JPEG does, and is HTML after: what a browser sniffing it might run.
POLYGLOT = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML


def upload(owner, data, filename, **extra):
    fields = {"poster": (io.BytesIO(data), filename), **extra}
    return owner.post(UPLOAD_URL, fields, content_type="multipart/form-data")


def poster_of(app):
    with app.app_context():
        return db.session.execute(
            select(Film.poster, Film.updated_at).where(Film.slug == SLUG)
        ).one()


def test_an_uploaded_poster_is_kept_previewed_and_shown(app, owner, client):
    before = poster_of(app)
    response = upload(owner, encoded(photo()), "poster.jpg")
    assert response.status_code == 303 and response.location.endswith(f"/admin/films/{SLUG}#poster")
    digest, updated_at = poster_of(app)
    assert digest and updated_at > before.updated_at
    edit = owner.get(f"/admin/films/{SLUG}").get_data(as_text=True)
    assert f"/posters/{digest}/" in edit and "The poster was saved" in edit
    assert f"/posters/{digest}/" in client.get(FILM_URL).get_data(as_text=True)
    rendition = client.get(f"/posters/{digest}/320.webp")
    assert rendition.status_code == 200 and rendition.mimetype == "image/webp"
    rendition.close()


def test_svg_html_and_polyglot_files_are_refused(app, owner):
    for data, filename, words in (
        (SVG, "poster.svg", "a poster is a .jpg, .jpeg, .png or .webp file"),
        (SVG, "poster.png", "is not a JPEG, PNG or WebP image"),
        (HTML, "poster.html", "a poster is a .jpg"),
        (HTML, "poster.jpg", "is not a JPEG, PNG or WebP image"),
        (POLYGLOT, "poster.jpg", "poster.jpg:"),
    ):
        response = upload(owner, data, filename)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, filename
        assert words in html and 'id="f-poster-error"' in html and "<script>alert" not in html
    assert poster_of(app).poster is None


def test_a_valid_image_with_html_appended_is_re_encoded_without_it(app, owner, client):
    upload(owner, encoded(photo((400, 600)), "PNG") + HTML, "poster.png")
    digest = poster_of(app).poster
    for name in ("320.webp", "320.jpg"):
        served = client.get(f"/posters/{digest}/{name}")
        assert served.status_code == 200 and b"<script" not in served.data
        served.close()
    assert client.get(f"/posters/{digest}/original.png").status_code == 404


def test_no_file_too_large_and_no_csrf_token(app, owner):
    missing = owner.post(UPLOAD_URL, {}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose an image file" in missing.get_data(as_text=True)
    # Encoded in memory: the test client would spool so large a body to a file it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": owner.token,
            "poster": FileStorage(io.BytesIO(b"\xff" * (11 << 20)), "poster.jpg"),
        }
    )
    huge = owner.client.post(
        UPLOAD_URL, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert huge.status_code == 413 and "larger than a poster may be" in huge.get_data(as_text=True)
    without_token = owner.client.post(
        UPLOAD_URL,
        data={"poster": (io.BytesIO(encoded(photo((200, 300)))), "poster.jpg")},
        content_type="multipart/form-data",
    )
    assert without_token.status_code == 400
    assert poster_of(app).poster is None
