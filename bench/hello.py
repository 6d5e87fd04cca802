"""The benchmark's yardstick: a minimal Flask app, a fixed page and a minimal form POST.

It runs under the same gunicorn settings as Marquee; BENCH_PAGE_BYTES makes its page the size
of the film page, so that the two differ in work done, not in bytes sent.
"""

import os

from flask import Flask, request

app = Flask(__name__)
PAGE = b"<!doctype html><title>hello</title><p>" + b"x" * max(
    0, int(os.environ.get("BENCH_PAGE_BYTES", "10240")) - 38
)


@app.get("/")
def page():
    """The fixed page."""
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@app.post("/")
def form():
    """The minimal form POST: read one field, answer a line."""
    return f"<p>got {request.form.get('stars', '')}</p>"
