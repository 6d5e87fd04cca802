"""The site's absolute addresses: every URL that is read away from the page that made it (mail,
the sitemap and robots.txt, feeds, canonical, og:image, JSON-LD) is built here, from SITE_URL,
the site's canonical address, and never from the Host header, which the client chooses.

Without SITE_URL (development, tests) the request's own host is used instead; TRUSTED_HOSTS then
keeps that host to the loopback names (app/config.py), so no visitor chooses what a link says.
With SITE_URL, TRUSTED_HOSTS defaults to its host: a request naming another gets 400.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from werkzeug.routing import MapAdapter

_ADAPTER = "marquee.site_url"


def check_site_url(site_url: str) -> str:
    """SITE_URL without its trailing slash; ValueError unless it is http(s)://host[:port][/path]."""
    parts = urlsplit(site_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"SITE_URL must be http(s)://host[:port][/path], not {site_url!r}")
    return site_url.rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (as url_for names it) at the site's canonical address."""
    adapter: MapAdapter | None = current_app.extensions.get(_ADAPTER)
    if adapter is None:
        return url_for(endpoint, _external=True, **values)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values) -> str:
    """The path of `endpoint` as request.path gives it, without the prefix the site may be served
    under: what a redirect is kept as or sends to. Built from the URL map alone, as url_for cannot
    be outside a request without SERVER_NAME, and the CLI (an import) runs with neither."""
    current_app.inject_url_defaults(endpoint, values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def site_key() -> tuple[str, str, str]:
    """What a kept page's links are built from: the request's scheme, host and root (cheaper
    than request.host_url, which parses and quotes an URL)."""
    return request.scheme, request.host, request.root_path


def header_url(endpoint: str) -> str:
    """url_for(endpoint), for the few links that every page's header has: kept per site root,
    as each page would otherwise build them anew."""
    kept = current_app.extensions.setdefault("marquee.header_urls", {})
    key = (endpoint, request.script_root)
    url = kept.get(key)
    if url is None:
        url = kept[key] = url_for(endpoint)
    return url


def register(app: Flask) -> None:
    if site_url := app.config["SITE_URL"]:
        parts = urlsplit(check_site_url(site_url))
        app.extensions[_ADAPTER] = app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
        if app.config["TRUSTED_HOSTS"] is None:
            app.config["TRUSTED_HOSTS"] = [parts.hostname]
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["header_url"] = header_url
