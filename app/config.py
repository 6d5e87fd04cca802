"""Configuration defaults and the environment variables that override them."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from .core import sizes


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    # O_EXCL: when several gunicorn workers start at once, exactly one writes the key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


# Hosts a request may name when neither SITE_URL nor TRUSTED_HOSTS is set: only a browser on
# this machine, so that an address built from the request's host is never a stranger's.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]


def _trusted_hosts() -> list[str] | None:
    """TRUSTED_HOSTS, comma-separated; unset, SITE_URL's host (app/core/urls.py), or loopback."""
    if listed := os.environ.get("TRUSTED_HOSTS", "").strip():
        return [host.strip() for host in listed.split(",") if host.strip()]
    return None if os.environ.get("SITE_URL") else LOOPBACK_HOSTS


def from_environment(instance_path: str) -> dict:
    """The settings an operator sets through the environment, with their defaults."""
    sqlite_default = "sqlite:///" + str(Path(instance_path) / "marquee.sqlite3")
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", sqlite_default),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "SITE_URL": os.environ.get("SITE_URL", ""),
        "TRUSTED_HOSTS": _trusted_hosts(),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        **{name: os.environ.get(name, DEFAULTS[name]) for name in RATE_LIMIT_SETTINGS},
        "TOP_RATED_MIN_VOTES": int(os.environ.get("TOP_RATED_MIN_VOTES", "10")),
        "MAIL_URL": os.environ.get("MAIL_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_HELD_MINUTES": float(os.environ.get("MAIL_HELD_MINUTES", "5")),
        "POSTER_DIR": os.environ.get("POSTER_DIR"),
        "POSTER_MAX_DECODED_BYTES": int(
            os.environ.get("POSTER_MAX_DECODED_BYTES", DEFAULTS["POSTER_MAX_DECODED_BYTES"])
        ),
    }


RATE_LIMIT_SETTINGS = (
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_KEY_PREFIX",
    "RATELIMIT_VOTES_VISITOR",
    "RATELIMIT_VOTES_ADDRESS",
    "RATELIMIT_COMMENTS_VISITOR",
    "RATELIMIT_COMMENTS_ADDRESS",
    "RATELIMIT_SIGNIN_ADDRESS",
    "RATELIMIT_SIGNIN_ACCOUNT",
    "RATELIMIT_SIGNIN_DEVICE",
)


DEFAULTS = {
    "SITE_NAME": "Marquee",
    # The site's canonical address, e.g. https://films.example.com: every absolute URL (mail,
    # sitemap, feeds, canonical, og:image) is built from it (app/core/urls.py). Unset: the
    # request's host, which TRUSTED_HOSTS must then restrict.
    "SITE_URL": "",
    # The film page shows this many of the latest comments, with links to older ones.
    "COMMENTS_PER_PAGE": 50,
    # The visitor id lives in the session: it must outlast a browser restart.
    "PERMANENT_SESSION_LIFETIME": timedelta(days=365),
    "SESSION_COOKIE_HTTPONLY": True,
    # The cookie's year counts from the first visit: re-signing and re-sending it with every
    # answer costs each request a signature and makes every answer a Set-Cookie.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A vote or a comment is a few hundred bytes; anything far larger is not a person typing.
    # The film form and the poster upload allow more (app/core/sizes.py).
    "MAX_CONTENT_LENGTH": sizes.FORM_BYTES,
    # The CSRF token lives as long as the session; a page left open overnight still votes.
    "WTF_CSRF_TIME_LIMIT": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # X-Forwarded-For is believed only from this many proxies in front (ProxyFix); 0: never.
    "TRUSTED_PROXIES": 0,
    # Rate limits (Flask-Limiter). In-memory storage counts per process: with several workers
    # or servers, use a shared store such as redis://host:6379 for one true limit.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Sites (or test runs) that share one Redis keep their counts apart with a prefix each.
    "RATELIMIT_KEY_PREFIX": "marquee",
    # A moving window: "10 a minute" holds for any 60 seconds, not twice that across a boundary.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Per visitor (the session's id) the limits are tight; per address they only have to stop a
    # flood, since a whole office or a mobile network can share one address.
    "RATELIMIT_VOTES_VISITOR": "10/minute",
    "RATELIMIT_VOTES_ADDRESS": "300/minute",
    "RATELIMIT_COMMENTS_VISITOR": "3/minute;20/hour",
    "RATELIMIT_COMMENTS_ADDRESS": "30/minute",
    # Failed sign-ins to the admin, counted in the database (app/admin/throttle.py): per address,
    # per account named from browsers that never signed in to it, and per browser that did.
    "RATELIMIT_SIGNIN_ADDRESS": "5/minute",
    "RATELIMIT_SIGNIN_ACCOUNT": "5/minute",
    "RATELIMIT_SIGNIN_DEVICE": "5/minute",
    # An owner's sign-in lasts this long, however long the visitor cookie it rides in.
    "ADMIN_SESSION_HOURS": 12,
    "ADMIN_FILMS_PER_PAGE": 50,
    # Email to the owners when a comment is held (app/core/mail.py); off while MAIL_URL is unset.
    "MAIL_URL": "",
    "MAIL_FROM": "",
    "MAIL_TIMEOUT": 10,
    # At most one message about held comments per owner this often, listing what waits.
    "MAIL_HELD_MINUTES": 5,
    "FILMS_PER_PAGE": 24,
    # The sitemap protocol's limit of addresses per file: past it, sitemap.xml is an index of
    # numbered sitemaps of this many each.
    "SITEMAP_MAX_URLS": 50_000,
    # Atom feeds (app/feeds/): the newest this many reviews each, which readers and proxies
    # may keep this many seconds before asking again (then mostly answered 304).
    "FEED_ENTRIES": 20,
    "FEED_MAX_AGE": 300,
    # The date in every entry's tag: URI (tag:host,DATE:film/ID): a day the site's host name
    # was already its owner's. Changing it, or the host, makes every entry new to readers.
    "FEED_TAG_DATE": "2026-01-01",
    # Where posters and their renditions are kept; None: instance/posters. Several servers
    # share one directory (app/films/posters.py).
    "POSTER_DIR": None,
    # The memory one poster may take once decoded (width × height × bytes per pixel, read from
    # its header before decoding): 64 MB is a 16-megapixel RGBA or 40-megapixel grey image. A
    # small file can claim far more (a 311 KB PNG, 38 megapixels of 16-bit RGBA: 561 MB).
    "POSTER_MAX_DECODED_BYTES": 64 * 1024 * 1024,
    # Top rated: a film needs about this many votes before its own average outweighs the mean.
    "TOP_RATED_MIN_VOTES": 10,
    "TOP_RATED_LIMIT": 10,
    # How old the Top rated order may be, in seconds (its numbers are always current).
    "TOP_RATED_SECONDS": 30,
    # Pages are compressed per request, so brotli at a low level: on the film page level 11
    # costs 54 ms for 2.9 KB, level 5 0.8 ms for 3.3 KB. Static files are precompressed at 11
    # once per process (app/core/assets.py).
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,
}
