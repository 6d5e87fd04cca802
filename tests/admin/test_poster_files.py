"""Odd and hostile image files uploaded as posters: each gets its expected answer, and a file
Pillow cannot read cleanly (its EXIF block fuzzed by Hypothesis included) gets the "damaged"
message beside the field, never an error page; a file too large to decode is refused before
it is decoded."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.admin.test_posters_admin import poster_of, upload
from tests.posters import GPS_IFD, encoded, exif_block, photo, png_rgba16, with_exif_block

DAMAGED = "is damaged or truncated"
SMALL = encoded(photo((60, 90)), quality=85)


def _animated_gif() -> bytes:
    frames = [Image.new("P", (40, 60), colour) for colour in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _palette_with_transparency() -> bytes:
    image = Image.new("P", (40, 60), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 20, 60))
    return encoded(image, "PNG", transparency=0)


def _cmyk_jpeg() -> bytes:
    return encoded(photo((120, 180)).convert("CMYK"), "JPEG")


def _truncated_png() -> bytes:
    data = encoded(photo((120, 180)), "PNG")
    return data[: len(data) * 2 // 3]


# name: (file, file name, expected status, words in the answer or None)
CORPUS = {
    "truncated PNG": (_truncated_png, "poster.png", 422, DAMAGED),
    # 9 megapixels, 8 bytes each as Pillow shrinks it: small on disk, 69 MB to process.
    "16-bit RGBA PNG, 3000×3000": (
        lambda: png_rgba16(3000, 3000),
        "poster.png",
        422,
        "3000×3000 pixels, which would take 69 MB of memory to process; a poster may take at "
        "most 64 MB, which is 8.4 megapixels of an image of this kind",
    ),
    "16-bit RGBA PNG, small": (lambda: png_rgba16(300, 450), "poster.png", 303, None),
    "CMYK JPEG": (_cmyk_jpeg, "poster.jpg", 303, None),
    "palette with transparency": (_palette_with_transparency, "poster.png", 303, None),
    "animated GIF": (_animated_gif, "poster.gif", 422, "a poster is a .jpg, .jpeg, .png or .webp"),
    "animated GIF named .png": (_animated_gif, "poster.png", 422, "is not a JPEG, PNG or WebP"),
    "zero bytes": (lambda: b"", "poster.jpg", 422, "poster.jpg: is empty"),
    "EXIF orientation 6": (lambda: with_exif_block(SMALL, exif_block(6)), "poster.jpg", 303, None),
    "EXIF orientation 99": (
        lambda: with_exif_block(SMALL, exif_block(99)),
        "poster.jpg",
        303,
        None,
    ),
    "EXIF block cut short": (
        lambda: with_exif_block(SMALL, exif_block(6)[:30]),
        "poster.jpg",
        422,
        DAMAGED,
    ),
}


@pytest.mark.parametrize("case", CORPUS)
def test_each_odd_file_gets_its_answer(app, owner, case):
    make, filename, status, words = CORPUS[case]
    response = upload(owner, make(), filename)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    if words is not None:
        assert words in response.get_data(as_text=True)
        assert poster_of(app).poster is None


def rendition(app, client, name="320.jpg"):
    response = client.get(f"/posters/{poster_of(app).poster}/{name}")
    image = Image.open(io.BytesIO(response.data))
    response.close()
    return image


def test_orientation_6_is_turned_upright_and_transparency_laid_on_white(app, owner, client):
    # 60×90 landscape-stored pixels that the camera says to turn: a 90×60 poster.
    upload(owner, with_exif_block(SMALL, exif_block(6)), "poster.jpg")
    assert rendition(app, client, "90.jpg").size == (90, 60)
    upload(owner, _palette_with_transparency(), "poster.png")
    image = rendition(app, client, "40.jpg").convert("RGB")
    left, right = image.getpixel((5, 30)), image.getpixel((35, 30))
    assert left[2] > 200 and left[0] < 60  # the opaque blue half
    assert all(channel > 240 for channel in right)  # transparent: the page's white


def test_no_file_kept_holds_the_uploads_exif_or_gps(app, owner):
    upload(owner, with_exif_block(SMALL, exif_block(6)), "poster.jpg")
    from app.films import posters

    with app.app_context():
        folder = posters.directory() / poster_of(app).poster
    for path in folder.iterdir():
        with Image.open(path) as image:
            assert not image.getexif().get_ifd(GPS_IFD), path.name
        assert b"Camera maker" not in path.read_bytes(), path.name


def _mutated(block: bytes, changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(block)
    for position, value in changes:
        data[position % len(data)] = value
    return bytes(data)


TIFF_START = st.sampled_from([b"MM\0*", b"II*\0"])
EXIF_BLOCKS = st.one_of(
    # A camera's block with some of its bytes changed: offsets, counts and types gone wrong.
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=12).map(
        lambda changes: _mutated(exif_block(6), changes)
    ),
    # A TIFF header, then anything.
    st.builds(lambda start, rest: start + rest, TIFF_START, st.binary(max_size=600)),
    st.binary(max_size=300),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(block=EXIF_BLOCKS)
def test_any_exif_block_is_a_poster_or_damaged_never_an_error(app, owner, block):
    response = upload(owner, with_exif_block(SMALL, block), "poster.jpg")
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        assert DAMAGED in response.get_data(as_text=True)
