"""Posters: a film's image, checked, stripped and re-encoded once, kept under its digest.

An image given for a film (JPEG, PNG or WebP, at most 10 MB, 40 megapixels and
POSTER_MAX_DECODED_BYTES once decoded) is never served as it came: Pillow decodes it whole, so
that a truncated or damaged file is refused here and not half-shown in a browser, turns it
upright by its EXIF orientation, and writes renditions WIDTHS wide in WebP (what browsers take)
and JPEG (the fallback, and what link previews read), with none of the upload's metadata (EXIF
with its GPS position, XMP, comments, profiles). Every Pillow step runs under one guard: a file
Pillow cannot read cleanly, its EXIF block included, is "damaged", never an error page.

Only the renditions are kept, in POSTER_DIR (instance/posters by default; several servers share
one directory), never the upload with its metadata, under the digest of the upload and of how it
is processed: a
poster's URL never changes its content, so browsers keep it a year, and a new poster is a new
URL. The film row holds the digest and the largest rendition's size; a film with none shows a
title card instead (app/films/title_cards.py). Nothing here runs per request.
"""

import io
import os
import struct
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, url_for
from PIL import Image, UnidentifiedImageError

from ..core import sizes
from ..core.assets import digest
from ..core.urls import absolute_url
from ..models import Film, utcnow
from . import title_cards

MAX_BYTES = sizes.POSTER_BYTES
MAX_PIXELS = 40_000_000
# What Pillow holds per pixel of each mode while it makes a poster (measured by bench/upload.py):
# the decoded image; for a mode that cannot be shrunk as it is (a palette's indices cannot be
# averaged) its full-size converted copy; and for one with alpha the premultiplied copy that
# Image.reduce() makes of it. RGB, CMYK and the rest are held in 4 bytes a pixel.
_PIXEL_BYTES = {"1": 2, "L": 1, "LA": 8, "RGBA": 8, "P": 9, "PA": 12}
_PIXEL_BYTES |= dict.fromkeys(("I;16", "I;16B", "I;16L"), 6)
_SHRINKS_AS = {"1": "L", "P": "RGBA", "PA": "RGBA"} | dict.fromkeys(("I;16", "I;16B", "I;16L"), "I")
# Pillow's WebP decoder keeps libwebp's canvas and hands the pixels over in a buffer of their
# own (measured: about 12 bytes a pixel besides the image itself).
_DECODER_BYTES = {"WEBP": 12}
# EXIF orientation -> the turn that makes the image upright (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIDEWAYS = {turn for orientation, turn in _UPRIGHT.items() if orientation >= 5}
_ORIENTATION = 0x0112
# What Pillow's decoders and EXIF parser raise on bytes they cannot make sense of: hostile or
# damaged files reach struct, int() and indexing deep inside them.
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, struct.error, TypeError, LookupError)
_DAMAGED += (ArithmeticError, Warning)
FORMATS = ("JPEG", "PNG", "WEBP")
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# The film page shows its poster 15rem wide (480 px on a phone's 2x screen), a card 4.5rem.
WIDTHS = (160, 320, 480)
# Renditions in the order a <picture> offers them; the last one is the <img> itself.
RENDITIONS = (("webp", "image/webp"), ("jpg", "image/jpeg"))
_SAVE = {
    "webp": {"format": "WEBP", "quality": 75, "method": 6},
    "jpg": {"format": "JPEG", "quality": 80, "optimize": True, "progressive": True},
}
# Changing how renditions are made changes every digest, and so every poster's URLs.
_PROCESS = b"marquee-poster-2\0"
# What a transparent poster is laid on: the page's own surface colour.
_BACKGROUND = (255, 255, 255)
NO_POSTER = {"poster": None, "poster_width": None, "poster_height": None}


class PosterError(ValueError):
    """An image that cannot be a poster; the message names the file and says why."""


@dataclass(frozen=True)
class Poster:
    """A processed poster: its digest, the largest rendition's size, and the files to keep."""

    digest: str
    width: int
    height: int
    files: dict[str, bytes] = field(compare=False, repr=False)

    def columns(self) -> dict:
        """The film row's poster columns for this poster."""
        return {"poster": self.digest, "poster_width": self.width, "poster_height": self.height}


def directory() -> Path:
    """Where posters are kept: POSTER_DIR, else instance/posters."""
    configured = current_app.config.get("POSTER_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "posters"


def widths(largest: int) -> list[int]:
    """The renditions' widths for a poster whose largest rendition is `largest` wide: never
    wider than the image given."""
    return [w for w in WIDTHS if w < largest] + [largest]


def _check_size(size: int, filename: str) -> None:
    if size > MAX_BYTES:
        raise PosterError(
            f"{filename}: is {size / 1024 / 1024:.1f} MB; a poster may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB"
        )


def max_decoded_bytes() -> int:
    """POSTER_MAX_DECODED_BYTES: how much memory one poster may take once decoded."""
    return int(current_app.config["POSTER_MAX_DECODED_BYTES"])


def _too_many(filename: str) -> str:
    return f"{filename}: has more than {MAX_PIXELS // 1_000_000} megapixels"


def _opened(data: bytes, filename: str) -> Image.Image:
    """The image in `data`, its size and mode read from the header and checked, not decoded."""
    image = Image.open(io.BytesIO(data), formats=FORMATS)
    if image.width * image.height > MAX_PIXELS:
        raise PosterError(_too_many(filename))
    # A JPEG decodes at the smallest scale that still covers the largest rendition.
    image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
    per_pixel = _PIXEL_BYTES.get(image.mode, 4) + _DECODER_BYTES.get(image.format, 0)
    needed = image.width * image.height * per_pixel
    if needed > (limit := max_decoded_bytes()):
        raise PosterError(
            f"{filename}: is {image.width}×{image.height} pixels, which would take "
            f"{needed / 2**20:.0f} MB of memory to process; a poster may take at most "
            f"{limit / 2**20:.0f} MB, which is {limit / per_pixel / 1e6:.1f} megapixels "
            "of an image of this kind"
        )
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The decoded image shrunk to about twice the largest rendition first (so that nothing
    after holds a full-size copy), then turned upright by its EXIF orientation, on white."""
    turn = _UPRIGHT.get(image.getexif().get(_ORIENTATION))
    if image.mode in _SHRINKS_AS:
        image = image.convert(_SHRINKS_AS[image.mode])
    factor = (image.height if turn in _SIDEWAYS else image.width) // (2 * WIDTHS[-1])
    if factor > 1:
        image = image.reduce(factor)
    if turn is not None:
        image = image.transpose(turn)
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, _BACKGROUND)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _renditions(flat: Image.Image) -> tuple[int, int, dict[str, bytes]]:
    """The largest rendition's size, and every rendition's file by name."""
    files = {}
    largest = min(flat.width, WIDTHS[-1])
    for width in widths(largest):
        height = max(1, round(flat.height * width / flat.width))
        rendition = flat.resize((width, height), Image.Resampling.LANCZOS)
        # A fresh image carries no metadata: nothing of the upload's info is written back.
        rendition.info = {}
        for extension, _mimetype in RENDITIONS:
            out = io.BytesIO()
            rendition.save(out, **_SAVE[extension])
            files[f"{width}.{extension}"] = out.getvalue()
    return largest, max(1, round(flat.height * largest / flat.width)), files


def process(data: bytes, filename: str) -> Poster:
    """Check an uploaded image and make its renditions; PosterError naming `filename` when it
    cannot be a poster."""
    if not filename.lower().endswith(SUFFIXES):
        raise PosterError(f"{filename}: a poster is a .jpg, .jpeg, .png or .webp file")
    _check_size(len(data), filename)
    if not data:
        raise PosterError(f"{filename}: is empty")
    try:
        with warnings.catch_warnings():
            # Pillow's guard against decompression bombs, and its warnings about a file it could
            # only partly read (an EXIF block cut short), are errors: not read cleanly.
            warnings.simplefilter("error")
            image = _opened(data, filename)
            image.load()
            width, height, files = _renditions(_upright(image))
    except PosterError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PosterError(_too_many(filename)) from None
    except UnidentifiedImageError:
        raise PosterError(f"{filename}: is not a JPEG, PNG or WebP image") from None
    except _DAMAGED:
        raise PosterError(f"{filename}: is damaged or truncated") from None
    return Poster(digest(_PROCESS + data), width, height, files)


def read(path: Path) -> Poster:
    """The poster in the file at `path`, processed; PosterError naming the file otherwise."""
    try:
        # Refused before it is read: a huge file never enters memory.
        _check_size(path.stat().st_size, path.name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PosterError(f"{path.name}: no such file beside the film file") from None
    except IsADirectoryError:
        raise PosterError(f"{path.name}: is a directory, not an image") from None
    return process(data, path.name)


def save(poster: Poster) -> None:
    """Keep the poster's files in the poster directory. Each is written whole under a temporary
    name and then renamed, so no server ever serves half a file; a file already there is the
    same content (its name is its digest) and is left as it is."""
    for name, data in poster.files.items():
        keep(directory() / poster.digest / name, data)


def keep(path: Path, data: bytes) -> None:
    """Write a file named by its content whole, once: see save()."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, temporary.with_name(path.name))


def store(film: Film, data: bytes, filename: str) -> Poster:
    """Make `data` the film's poster (in the caller's session, to be committed with it): check,
    process, keep the files, and move the film's updated_at on so that its kept pages renew.
    PosterError, with a message to show the person who gave the file, changes nothing."""
    poster = process(data, filename)
    save(poster)
    if film.poster != poster.digest:
        for name, value in poster.columns().items():
            setattr(film, name, value)
        film.updated_at = utcnow()
    return poster


def file_path(digest_: str, name: str) -> Path | None:
    """A rendition's file, if the poster directory holds it."""
    path = directory() / digest_ / name
    return path if path.is_file() else None


@dataclass(frozen=True)
class Picture:
    """A film's image as a page shows it (a <picture>) and as a shared link shows it."""

    alt: str
    src: str
    width: int
    height: int
    # (type, srcset) of each <source>, in the order a browser picks the first it can show.
    sources: tuple[tuple[str, str], ...]
    srcset: str | None
    share_url: str
    share_width: int
    share_height: int


def _url(film, name: str, external: bool = False) -> str:
    build = absolute_url if external else url_for
    return build("posters.rendition", digest=film.poster, name=name)


def picture(film) -> Picture:
    """The film's poster, or its title card; `film` is a Film or a row with its slug, title,
    year and poster columns."""
    if film.poster is None:
        return _title_card(film)
    sizes = widths(film.poster_width)

    def srcset(extension: str) -> str:
        return ", ".join(f"{_url(film, f'{w}.{extension}')} {w}w" for w in sizes)

    largest_jpeg = f"{film.poster_width}.jpg"
    return Picture(
        alt=film.title,
        src=_url(film, largest_jpeg),
        width=film.poster_width,
        height=film.poster_height,
        sources=tuple((mimetype, srcset(ext)) for ext, mimetype in RENDITIONS[:-1]),
        srcset=srcset(RENDITIONS[-1][0]),
        share_url=_url(film, largest_jpeg, external=True),
        share_width=film.poster_width,
        share_height=film.poster_height,
    )


def _title_card(film) -> Picture:
    def url(extension: str, external: bool = False) -> str:
        build = absolute_url if external else url_for
        return build(
            "posters.title_card",
            slug=film.slug,
            digest=title_cards.digest(film.title, film.year),
            extension=extension,
        )

    return Picture(
        alt=film.title,
        src=url("svg"),
        width=title_cards.WIDTH,
        height=title_cards.HEIGHT,
        sources=(),
        srcset=None,
        # Link previews read PNG or JPEG, not SVG: a wide PNG of the same card.
        share_url=url("png", external=True),
        share_width=title_cards.SHARE_WIDTH,
        share_height=title_cards.SHARE_HEIGHT,
    )
