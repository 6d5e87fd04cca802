"""gunicorn settings for production; each default says why. Environment variables override."""

import multiprocessing
import os

# Loopback by default: put a reverse proxy (or BIND=0.0.0.0:8000) in front deliberately.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# The app is CPU-bound between short database calls: about one worker per core, plus one
# so that a worker blocked on SQLite's write lock does not idle a core.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))

# Sync workers: simplest, and each request holds one database connection for its duration.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")

# A request is a few milliseconds; 30 s means something is stuck, and the worker is replaced.
timeout = 30
graceful_timeout = 20

# Recycle workers now and then, so that a slow leak can never grow without bound.
max_requests = 10000
max_requests_jitter = 1000

# Logs to stdout/stderr, for the process manager (systemd, a container runtime) to collect.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Forwarded headers are only believed from a proxy the operator names (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which
# several instances on one machine (blue/green, tests) would fight over; nothing here uses it.
control_socket_disable = True


def post_fork(server, worker):
    """In each new worker: never use a database connection opened by the master."""
    # With preload_app (or --preload) the master builds the app, and whatever it connected
    # would be shared by every worker's requests at once; each worker opens its own instead.
    from app.database import forget_inherited_connections

    forget_inherited_connections()
