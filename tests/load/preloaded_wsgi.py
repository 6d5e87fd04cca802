"""The site as gunicorn's master builds it with --preload, after using the database once."""

import gc
import os

from sqlalchemy import event, text

from app import create_app
from app.extensions import db

app = create_app()

with app.app_context():

    @event.listens_for(db.engine, "connect")
    def _remember_opener(_dbapi_connection, record):
        record.info["opened_by"] = os.getpid()

    db.session.execute(text("SELECT 1"))
    # Back to the pool, not closed: the master now holds a connection that a worker could reuse.
    db.session.remove()


@app.get("/_opened_by")
def opened_by():
    """Which process opened the database connection that served this request, and how many
    objects the worker holds frozen (out of the garbage collector's reach) from the master."""
    return {
        "worker": os.getpid(),
        "opened_by": db.session.connection().info["opened_by"],
        "frozen": gc.get_freeze_count(),
    }
