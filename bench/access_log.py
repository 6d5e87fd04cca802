"""What gunicorn's access log costs a request: its `access()` with gunicorn.conf.py's format,
written to /dev/null, timed in-process (`.venv/bin/python bench/access_log.py`)."""

import argparse
import runpy
import time
from datetime import timedelta
from pathlib import Path

from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parent.parent


class _Response:
    """What access() reads of a response: a film page's."""

    status = "200 OK"
    response_length = sent = 16751
    headers = (("Content-Type", "text/html; charset=utf-8"),)


class _Request:
    headers = (("USER-AGENT", "wrk"),)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50_000)
    count = parser.parse_args().requests
    config = Config()
    config.set("accesslog", "/dev/null")
    config.set(
        "access_log_format", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    )
    log = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/films/the-way-back",
        "PATH_INFO": "/films/the-way-back",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    took = timedelta(microseconds=900)
    start = time.process_time()
    for _ in range(count):
        log.access(_Response(), _Request(), environ, took)
    spent = (time.process_time() - start) / count
    print(f"gunicorn access log: {spent * 1e6:.1f} µs of CPU a request ({count:,} lines)")


if __name__ == "__main__":
    main()
