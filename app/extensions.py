"""Flask extensions, created once here and initialised in create_app()."""

from flask import g
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so that migrations can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


class KeptTokenCSRF(CSRFProtect):
    """Flask-WTF's CSRF check; the token a POST was checked with is the one its answer carries,
    rather than a token signed anew: it is as good (tokens have no time limit) and signing
    costs more than the rest of the check."""

    def protect(self, apply_exemptions=False):
        super().protect(apply_exemptions)
        if g.get("csrf_valid"):
            g.csrf_token = self._get_csrf_token()


csrf = KeptTokenCSRF()
# One limiter for the process; each create_app() gives it that app's settings and fresh storage.
# Which limits apply, and to whom, is in app/core/limits.py.
limiter = Limiter(key_func=get_remote_address)
compress = Compress()
# Owners' sessions (app/admin/); its user loader and sign-in view are set in app/admin/.
login_manager = LoginManager()
