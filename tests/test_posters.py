"""Posters: imported with a film file, checked, stripped and re-encoded, shown and served."""

import io
import json
import re
import xml.etree.ElementTree as ElementTree
from html import unescape
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app import config
from app.extensions import db
from app.films import posters, title_cards
from app.models import Film
from tests.helpers import FILM_URL, counts
from tests.posters import (
    GPS_IFD,
    encoded,
    film_file,
    jpeg_with_gps_and_orientation,
    photo,
    png_claiming,
)

IMMUTABLE = "public, max-age=31536000, immutable"


def film(app, slug="posted"):
    with app.app_context():
        return db.session.scalar(select(Film).where(Film.slug == slug))


def imported(app, runner, path):
    result = runner.invoke(args=["films", "import", str(path)])
    assert result.exit_code == 0, result.output
    return film(app)


def poster_files(app) -> list[str]:
    """Every file in the poster directory, relative to it."""
    folder = Path(app.config["POSTER_DIR"])
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_import_keeps_only_webp_and_jpeg_renditions_never_the_upload(app, runner, tmp_path):
    data = jpeg_with_gps_and_orientation()
    row = imported(app, runner, film_file(tmp_path, data=data))
    # 600×400 turned upright by its EXIF orientation: 400×600, never made wider than given.
    assert (row.poster_width, row.poster_height) == (400, 600)
    assert poster_files(app) == [
        f"{row.poster}/{name}"
        for name in sorted(f"{w}.{ext}" for w in (160, 320, 400) for ext in ("jpg", "webp"))
    ]
    with app.app_context():
        base = posters.directory() / row.poster
    for width, height in ((160, 240), (320, 480), (400, 600)):
        for extension, format in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(base / f"{width}.{extension}") as image:
                assert image.format == format and image.size == (width, height)


def test_renditions_carry_no_metadata(app, runner, tmp_path):
    data = jpeg_with_gps_and_orientation()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the upload does say where it was taken
    row = imported(app, runner, film_file(tmp_path, data=data))
    with app.app_context():
        base = posters.directory() / row.poster
    for path in base.iterdir():
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert not image.getexif().get_ifd(GPS_IFD), path.name
            assert not {"exif", "xmp", "icc_profile", "comment"} & image.info.keys(), path.name
        raw = path.read_bytes()
        assert b"Exif" not in raw and b"Camera maker" not in raw, path.name


def test_a_large_poster_is_made_480_160_and_320_wide(app, runner, tmp_path):
    data = encoded(photo((1000, 1500)), "PNG")
    row = imported(app, runner, film_file(tmp_path, poster="big.png", data=data))
    assert (row.poster_width, row.poster_height) == (480, 720)
    assert posters.widths(480) == [160, 320, 480]
    assert not [name for name in poster_files(app) if "original" in name]


@pytest.mark.parametrize("format,name", [("PNG", "a.png"), ("WEBP", "a.webp"), ("JPEG", "a.jpeg")])
def test_png_webp_and_jpeg_are_accepted(app, runner, tmp_path, format, name):
    image = photo((300, 450))
    if format == "PNG":
        image = image.convert("RGBA")  # transparency is laid on the page's surface colour
    row = imported(app, runner, film_file(tmp_path, poster=name, data=encoded(image, format)))
    assert (row.poster_width, row.poster_height) == (300, 450)


def bad_cases(tmp_path):
    jpeg = encoded(photo((400, 600)), "JPEG")
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as f:  # 10 MB and one byte, sparse: never held in memory
        f.write(jpeg)
        f.truncate(posters.MAX_BYTES + 1)
    return {
        "missing": (None, "missing.jpg", "no such file"),
        "not-an-image": (b"just some text, not a picture\n" * 20, "text.jpg", "not a JPEG"),
        "truncated": (jpeg[: len(jpeg) // 2], "half.jpg", "damaged or truncated"),
        "oversized-bytes": (None, "huge.jpg", "at most 10 MB"),
        "too-many-pixels": (png_claiming(8000, 6000), "wide.png", "more than 40 megapixels"),
        "bomb": (png_claiming(30000, 30000), "bomb.png", "more than 40 megapixels"),
        "svg-renamed": (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "vector.jpg",
            "not a JPEG",
        ),
        "html-renamed": (
            b"<!doctype html><title>x</title><img src=x onerror=alert(1)>",
            "page.jpg",
            "not a JPEG",
        ),
        "gif": (
            encoded(Image.new("RGB", (10, 10)), "GIF"),
            "anim.gif",
            ".jpg, .jpeg, .png or .webp",
        ),
        "gif-renamed": (encoded(Image.new("RGB", (10, 10)), "GIF"), "anim.png", "not a JPEG"),
        "a-path": (None, "../elsewhere.jpg", "beside the film file"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not-an-image",
        "truncated",
        "oversized-bytes",
        "too-many-pixels",
        "bomb",
        "svg-renamed",
        "html-renamed",
        "gif",
        "gif-renamed",
        "a-path",
    ],
)
def test_a_bad_poster_is_refused_naming_the_file_and_nothing_changes(app, runner, tmp_path, case):
    data, name, problem = bad_cases(tmp_path)[case]
    good = film_file(tmp_path, slug="good", title="Good", data=encoded(photo((300, 450))))
    bad = film_file(tmp_path, slug="bad", title="Bad", poster=name, data=data)
    before = counts(app)
    result = runner.invoke(args=["films", "import", str(good), str(bad)])
    assert result.exit_code != 0
    assert "bad.toml" in result.output and "field 'poster'" in result.output
    assert name.split("/")[-1] in result.output and problem in result.output, result.output
    assert counts(app) == before
    assert film(app, "good") is None
    assert poster_files(app) == []


def test_store_for_the_admin_makes_a_poster_and_moves_updated_at(app):
    with app.app_context():
        row = db.session.scalar(select(Film).where(Film.slug == "the-way-back"))
        before = row.updated_at
        poster = posters.store(row, encoded(photo((500, 750))), "upload.jpg")
        db.session.commit()
        assert (row.poster, row.poster_width, row.poster_height) == (poster.digest, 480, 720)
        assert row.updated_at > before
        with pytest.raises(posters.PosterError, match=r"upload\.jpg: is not a JPEG"):
            posters.store(row, b"<svg/>", "upload.jpg")


def page(client, url=FILM_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def meta(html: str, name: str) -> str:
    return unescape(re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)">', html)[1])


def jsonld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])


def test_film_page_shows_the_poster_beside_the_credits(app, runner, client, tmp_path):
    row = imported(app, runner, film_file(tmp_path, data=encoded(photo((600, 900)))))
    html = page(client, "/films/posted")
    side = html[html.index('class="film-side"') : html.index('id="credits-title"')]
    base = f"/posters/{row.poster}"
    webp = ", ".join(f"{base}/{w}.webp {w}w" for w in (160, 320, 480))
    jpeg = ", ".join(f"{base}/{w}.jpg {w}w" for w in (160, 320, 480))
    assert f'<source type="image/webp" srcset="{webp}" sizes="15rem">' in side
    assert (
        f'<img src="{base}/480.jpg" srcset="{jpeg}" sizes="15rem" width="480" height="720"'
        ' alt="Posted" loading="eager" fetchpriority="high" decoding="async">'
    ) in side
    absolute = f"http://marquee.test{base}/480.jpg"
    assert meta(html, "og:image") == absolute == jsonld(html)["image"]
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("480", "720")
    assert meta(html, "og:image:alt") == "Posted"
    assert meta(html, "twitter:card") == "summary_large_image"


def test_home_cards_show_small_posters_loaded_lazily(app, runner, client, tmp_path):
    row = imported(app, runner, film_file(tmp_path, data=encoded(photo((600, 900)))))
    html = page(client, "/")
    card = next(li for li in html.split('<li class="card">') if 'href="/films/posted"' in li)
    card = re.search(r'^<picture class="card-poster">(.*?)</picture>', card, re.S)
    assert f'srcset="/posters/{row.poster}/160.webp 160w' in card[1]
    assert 'sizes="4.5rem"' in card[1]
    assert re.search(r'<img [^>]*width="480" height="720" alt="" loading="lazy"', card[1])


def test_a_changed_poster_renews_the_kept_page_and_card(app, runner, client, tmp_path):
    path = film_file(tmp_path, data=encoded(photo((300, 450))))
    first = imported(app, runner, path)
    assert f"/posters/{first.poster}/" in page(client, "/films/posted")
    assert f"/posters/{first.poster}/" in page(client, "/")
    path.with_name("poster.jpg").write_bytes(encoded(photo((320, 480)).rotate(180)))
    second = imported(app, runner, path)
    assert second.poster != first.poster and second.updated_at > first.updated_at
    for url in ("/films/posted", "/"):
        html = page(client, url)
        assert f"/posters/{second.poster}/" in html and first.poster not in html
    # Taken out of the file, the poster gives way to the title card.
    path.write_text(path.read_text().replace('poster = "poster.jpg"\n', ""), encoding="utf-8")
    assert imported(app, runner, path).poster is None
    assert "/posters/title-cards/posted/" in page(client, "/films/posted")


def test_the_same_file_imported_again_changes_nothing(app, runner, tmp_path):
    path = film_file(tmp_path, data=encoded(photo((300, 450))))
    first = imported(app, runner, path)
    result = runner.invoke(args=["films", "import", str(path)])
    assert "unchanged" in result.output
    assert film(app).updated_at == first.updated_at


def test_renditions_are_served_for_a_year_and_unknown_ones_are_404(app, runner, client, tmp_path):
    row = imported(app, runner, film_file(tmp_path, data=encoded(photo((300, 450)))))
    for name, mimetype in (("300.webp", "image/webp"), ("160.jpg", "image/jpeg")):
        response = client.get(f"/posters/{row.poster}/{name}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.mimetype == mimetype
        with Image.open(io.BytesIO(response.data)) as image:
            assert image.width == int(name.split(".")[0])
    for url in (
        f"/posters/{'0' * 16}/160.webp",  # unknown digest
        f"/posters/{row.poster}/640.webp",  # no such width
        f"/posters/{row.poster}/original.jpg",  # the upload itself is never served
        f"/posters/{row.poster}/160.png",
        f"/posters/{row.poster.upper()}/160.webp",
        "/posters/..%2f..%2fsecret_key/160.jpg",
    ):
        assert client.get(url).status_code == 404, url


def test_a_film_without_poster_shows_its_title_card(client):
    html = page(client)
    digest = title_cards.digest("The Way Back", 2010)
    svg_url = f"/posters/title-cards/the-way-back/{digest}.svg"
    assert (
        f'<img src="{svg_url}" width="320" height="480" alt="The Way Back" loading="eager"'
        ' fetchpriority="high" decoding="async">'
    ) in html
    png_url = f"http://marquee.test/posters/title-cards/the-way-back/{digest}.png"
    assert meta(html, "og:image") == png_url == jsonld(html)["image"]
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert f'src="{svg_url}"' in page(client, "/")


def test_title_cards_are_served_for_a_year_compressed_and_the_png_is_a_png(app, client):
    digest = title_cards.digest("The Way Back", 2010)
    base = f"/posters/title-cards/the-way-back/{digest}"
    svg = client.get(f"{base}.svg", headers={"Accept-Encoding": "br"})
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Cache-Control"] == IMMUTABLE and svg.headers["Content-Encoding"] == "br"
    png = client.get(f"{base}.png")
    assert png.headers["Cache-Control"] == IMMUTABLE and png.mimetype == "image/png"
    with Image.open(io.BytesIO(png.data)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
    # Made once, then kept in the poster directory for every server that shares it.
    assert poster_files(app) == [f"title-cards/{digest}.png"]
    assert client.get(f"{base}.png").data == png.data
    for url in (f"/posters/title-cards/the-way-back/{'0' * 16}.svg", f"{base}.gif"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/posters/title-cards/nowhere/{digest}.svg").status_code == 404


def test_a_title_card_escapes_the_title(app, runner, client, tmp_path):
    title = 'Fish & <b>Chips</b> "x"'
    path = film_file(tmp_path, slug="odd", title=title.replace('"', '\\"'), poster=None)
    runner.invoke(args=["films", "import", str(path)])
    digest = title_cards.digest(title, 1999)
    svg = client.get(f"/posters/title-cards/odd/{digest}.svg").get_data(as_text=True)
    assert "<b>" not in svg and "&lt;b&gt;Chips&lt;/b&gt;" in svg and "Fish &amp;" in svg
    # Well-formed XML, as a browser's image decoder requires.
    texts = "".join(ElementTree.fromstring(svg).itertext())
    assert title.replace(" ", "") in texts.replace(" ", "") and "1999" in texts
    assert client.get(f"/posters/title-cards/odd/{digest}.png").status_code == 200


def test_a_long_title_is_wrapped_and_cut_short_on_its_card():
    lines = title_cards._lines("word " * 60, 14)
    assert len(lines) == 5 and lines[-1].endswith("…")
    assert all(len(line) <= 14 for line in lines)


def test_posters_live_in_poster_dir_or_instance(app, tmp_path, monkeypatch):
    with app.app_context():
        assert posters.directory() == tmp_path / "posters"
        app.config["POSTER_DIR"] = None
        assert posters.directory() == Path(app.instance_path) / "posters"
    monkeypatch.setenv("POSTER_DIR", "/srv/shared/posters")
    assert config.from_environment(str(tmp_path))["POSTER_DIR"] == "/srv/shared/posters"
