"""Images for the poster tests, made by Pillow at test time (no binary art in the repository)."""

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from app.films import content
from tests.helpers import MINIMAL

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(size=(1000, 1500)) -> Image.Image:
    """Something with the detail of a photograph: gradients, shapes and grain."""
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(0.6))
    radial = Image.radial_gradient("L").resize(size)
    image = Image.merge(
        "RGB", (Image.linear_gradient("L").resize(size), Image.blend(radial, grain, 0.5), grain)
    )
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse(
            (i * 70, i * 110, i * 70 + 300, i * 110 + 200), fill=(i * 20, 255 - i * 20, 90)
        )
    return image


def encoded(image: Image.Image, format: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def jpeg_with_gps_and_orientation(size=(600, 400)) -> bytes:
    """A landscape JPEG whose EXIF says to turn it upright (a portrait) and where it was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "Camera maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    return encoded(photo(size), "JPEG", exif=exif, quality=90)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb's first bytes."""
    small = encoded(Image.new("RGB", (1, 1)), "PNG")
    ihdr = struct.pack(">II", width, height) + small[24:29]
    chunk = b"IHDR" + ihdr
    return (
        small[:8]
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + small[33:]
    )


def film_file(tmp_path, slug="posted", title="Posted", poster="poster.jpg", data=None, name=None):
    """A film file naming `poster`, with `data` written beside it under `name` (or `poster`)."""
    text = MINIMAL.format(slug=slug, title=title)
    if poster is not None:
        text = f'poster = "{poster}"\n' + text
    if data is not None:
        (tmp_path / (name or poster)).write_bytes(data)
    path = tmp_path / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def add_poster_film(app, slug="posted") -> str:
    """A film with a poster, imported as `films import` does, from a film file written beside
    the app's poster directory; its page's path."""
    folder = Path(app.config["POSTER_DIR"]).parent / "film-files"
    folder.mkdir(parents=True, exist_ok=True)
    path = film_file(folder, slug=slug, data=encoded(photo((600, 900)), quality=92))
    with app.app_context():
        content.import_files([path])
    return f"/films/{slug}"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_rgba16(width: int, height: int) -> bytes:
    """A 16-bit RGBA PNG of one flat colour: a few hundred KB on disk however large it is, as
    many megapixels as it claims once decoded. Compressed a row at a time, never held whole."""
    header = struct.pack(">IIBBBBB", width, height, 16, 6, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\0" + b"\x12\x34" * 4 * width  # filter byte "none", then the row's samples
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def with_exif_block(jpeg: bytes, block: bytes) -> bytes:
    """The JPEG with an APP1 segment holding `block` as its EXIF (b"Exif\\0\\0" + a TIFF
    structure), written byte for byte, so the block may be anything a camera or an attacker
    writes."""
    payload = b"Exif\0\0" + block
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def exif_block(orientation: int = 6) -> bytes:
    """A well-formed EXIF block (the TIFF structure after b"Exif\\0\\0"): an orientation, a
    maker and a GPS position, as a camera writes them."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Camera maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    return exif.tobytes()[6:]
