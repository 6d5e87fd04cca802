"""Marquee: film review pages with a 5-star rating that htmx updates in place.

Where things are: `core/` holds what every feature stands on (the database's one read/write
API, the cache, errors, security headers, rate limits, static assets, maintenance); each
feature is a package of its own, with its views, rules and commands: `films/` (home, film
page, content import, search engines), `ratings/` (votes and their tallies), `comments/`
(posting and moderation), `admin/` (the owners' desk at /admin), `feeds/` (Atom), `pages/`
(About), `wordpress/` and `letterboxd/` (moving a blog in). Models are in `models.py`,
shared by all.
"""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config
from .core import (
    assets,
    cli,
    errors,
    markdown,
    parsing,
    redirects,
    security,
    signing,
    sizes,
    text,
    urls,
)
from .core.application import Marquee
from .core.database import configure_engine
from .core.signing import SessionCookies
from .extensions import compress, csrf, db, limiter

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI commands and error handlers."""
    app = Marquee(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.session_interface = SessionCookies()
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config.from_environment(app.instance_path))
    else:
        app.config.from_mapping(test_config)

    db.init_app(app)
    sizes.register(app)
    csrf.init_app(app)
    signing.register(app)
    if app.config["RATELIMIT_ENABLED"]:
        # Its hooks run on every request, limited or not (app/core/limits.py).
        limiter.init_app(app)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Only then is X-Forwarded-For believed: the address that the nearest proxies saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    compress.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

    # Before the blueprints: their rules name the converter.
    parsing.register(app)
    from . import admin
    from .admin import cli as users_cli
    from .browse import views as browse
    from .comments import cli as comments_cli
    from .comments import views as comments
    from .core import health
    from .feeds import views as feeds
    from .films import cli as films_cli
    from .films import crawlers, posters_views
    from .films import views as films
    from .letterboxd import cli as letterboxd_cli
    from .pages import views as pages
    from .ratings import cli as ratings_cli
    from .ratings import views as ratings
    from .search import views as search
    from .wordpress import cli as wordpress_cli

    app.register_blueprint(films.bp)
    app.register_blueprint(ratings.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(crawlers.bp)
    admin.register(app)
    app.register_blueprint(posters_views.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(pages.bp)

    assets.register(app)
    text.register(app)
    markdown.register(app)
    redirects.register(app)
    errors.register(app)
    security.register(app)
    urls.register(app)
    cli.register(
        app,
        films_cli.cli,
        ratings_cli.cli,
        comments_cli.cli,
        users_cli.cli,
        wordpress_cli.cli,
        letterboxd_cli.cli,
    )
    return app
