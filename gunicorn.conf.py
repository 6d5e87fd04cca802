"""gunicorn settings for production; each default says why. Environment variables override."""

import gc
import multiprocessing
import os

# Loopback by default: put a reverse proxy (or BIND=0.0.0.0:8000) in front deliberately.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# One sync worker per core, chosen with `make bench` on 2 cores (film page / rating fragment /
# vote, req/s; then p99 ms and peak RSS), one after another on 2026-11-27:
#   sync 2:        2427 / 2788 / 1775; p99 21 / 17 / 34;  56.5 MB
#   sync 3:        2353 / 2736 / 1654; p99 20 / 18 / 32;  56.6 MB
#   sync 4:        2233 / 2586 / 1576; p99 23 / 21 / 31;  56.6 MB
#   gthread 2x4:   1960 / 2106 / 1675; p99 56 / 37 / 45;  59.8 MB
#   gthread 3x4:   2702 / 3261 / 1632; p99 53 / 40 / 49;  59.9 MB
# The app is CPU-bound: a worker more than cores only adds context switches and, with SQLite,
# re-reads of pages that another process's commit made stale; SQLite writers queue on a file
# lock (app/core/database.py), so none idles a core while it waits. gthread keeps wrk's connections
# alive, which helps reads, but its threads share one interpreter: a request waits behind
# others, p99 doubles past the 50 ms target, and each worker takes 3 MB more (the 60 MB one).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")

# A request is a few milliseconds; 30 s means something is stuck, and the worker is replaced.
timeout = 30
graceful_timeout = 20

# Recycle workers now and then, so that a slow leak can never grow without bound.
max_requests = 10000
max_requests_jitter = 1000

# The master builds the app once and each worker is a fork of it: a recycled worker serves at
# once, where importing and building the app anew took the CPU for a second, during which
# requests queued behind it (p99 of a film page 360 ms in `make bench`, against 40 ms now).
# A deploy therefore restarts gunicorn rather than HUPs it (docs/deploy.md).
preload_app = True

# Logs to stdout/stderr, for the process manager (systemd, a container runtime) to collect.
# A line a request costs ~20 µs of CPU (bench/access_log.py), some 2 % of a film page under
# gunicorn: kept, as it is the only record of what was asked; behind a proxy that logs every
# request itself, ACCESS_LOG= (empty) turns it off.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Forwarded headers are only believed from a proxy the operator names (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which
# several instances on one machine (blue/green, tests) would fight over; nothing here uses it.
control_socket_disable = True


def when_ready(server):
    """With preload_app, in the master before any worker is forked: warm the app up once."""
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    # The benchmark's yardstick (bench/hello.py) runs under these settings too; it has no data.
    if "marquee.assets" in getattr(app, "extensions", {}):
        from app.core.warmup import warm_up

        try:
            warm_up(app)
        except Exception:
            # A database not yet reachable must not keep the site from starting: the workers
            # connect, and warm, on their own.
            server.log.exception("warm-up failed; the workers start cold")
    # Everything the master built (modules, the app, compiled templates and queries) lives as
    # long as the workers: frozen, the garbage collector never scans it again. A worker's full
    # collection then takes ~2 ms instead of ~35 ms, a pause that queued requests felt as p99.
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """In each new worker: never use a database connection opened by the master."""
    # With preload_app (or --preload) the master builds the app, and whatever it connected
    # would be shared by every worker's requests at once; each worker opens its own instead.
    from app.core.database import forget_inherited_connections

    forget_inherited_connections()
