"""Marquee: film review pages with a 5-star rating that htmx updates in place."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, cli, config, errors, security, text
from .database import configure_engine
from .extensions import compress, csrf, db, limiter

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI commands and error handlers."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config.from_environment(app.instance_path))
    else:
        app.config.from_mapping(test_config)

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Only then is X-Forwarded-For believed: the address that the nearest proxies saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    compress.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

    from . import comments, crawlers, films, health, ratings

    app.register_blueprint(films.bp)
    app.register_blueprint(ratings.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(crawlers.bp)

    assets.register(app)
    text.register(app)
    errors.register(app)
    security.register(app)
    cli.register(app)
    return app
