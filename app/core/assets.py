"""Static files under content-hashed URLs, cached for a year, and precompressed when accepted.

At start-up each file in static/ is hashed; `asset_url("style.css")` gives
/assets/<hash>/style.css, so a changed file gets a new URL and browsers may keep the old one
forever (`immutable`). Compressed copies are made once per process on first request, at the
highest brotli and gzip levels, as a file's content never changes while the process lives.
"""

import gzip
import hashlib
import mimetypes
from collections.abc import Callable
from pathlib import Path

import brotli
from flask import Blueprint, Flask, abort, current_app, request, url_for

IMMUTABLE = "public, max-age=31536000, immutable"
_COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}
# In order of preference: brotli is about a fifth smaller than gzip on htmx.
COMPRESSORS = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}

bp = Blueprint("assets", __name__)


def digest(data: bytes) -> str:
    """The part of an asset's URL that changes with its content."""
    return hashlib.sha256(data).hexdigest()[:16]


class Assets:
    """The static folder's files, their hashes, and their compressed copies once made."""

    def __init__(self, folder: Path):
        self.files = {
            path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()
        }
        self.digests = {name: digest(data) for name, data in self.files.items()}
        self._compressed: dict[tuple[str, str], bytes] = {}

    def compressed(self, name: str, encoding: str) -> bytes:
        # Two threads may both compress a file the first time; the copies are identical.
        key = (name, encoding)
        if key not in self._compressed:
            self._compressed[key] = compress(self.files[name], encoding)
        return self._compressed[key]


def compress(data: bytes, encoding: str) -> bytes:
    """`data` in one of the encodings that immutable files are offered in, at its best level."""
    return COMPRESSORS[encoding](data)


def _assets() -> Assets:
    return current_app.extensions["marquee.assets"]


def asset_url(filename: str) -> str:
    """The URL of a file in static/ that changes whenever the file does."""
    return url_for("assets.file", digest=_assets().digests[filename], filename=filename)


def _encoding(filename: str) -> str | None:
    """The preferred encoding that the client accepts, for a file that compresses."""
    if mimetypes.guess_type(filename)[0] not in _COMPRESSIBLE:
        return None
    return next((e for e in COMPRESSORS if request.accept_encodings.quality(e) > 0), None)


@bp.get("/assets/<digest>/<filename>")
def file(digest: str, filename: str):
    """A static file under its content hash; an old or unknown hash is 404."""
    assets = _assets()
    if assets.digests.get(filename) != digest:
        abort(404)
    return immutable(filename, assets.files[filename], lambda e: assets.compressed(filename, e))


def immutable(filename: str, data: bytes, compressed: Callable[[str], bytes] | None = None):
    """The response for content that never changes under its URL: typed by `filename`, cached
    for a year, and, when its type compresses, as compressed(encoding) in one the client takes."""
    headers = {
        "Cache-Control": IMMUTABLE,
        "Content-Type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
        "Vary": "Accept-Encoding",
    }
    encoding = _encoding(filename) if compressed else None
    if encoding is None:
        return data, 200, headers
    headers["Content-Encoding"] = encoding
    return compressed(encoding), 200, headers


def register(app: Flask) -> None:
    app.extensions["marquee.assets"] = Assets(Path(app.static_folder))
    app.register_blueprint(bp)
    app.add_template_global(asset_url)
