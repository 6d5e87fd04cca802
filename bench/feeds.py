"""/feed.atom against the film page, in process (Flask's test client, no server, no network):
the median time of a full feed, of a feed reader's poll answered 304, and of the film page, on
a fresh SQLite database of N films (50 by default; the feed holds the newest 20).

    .venv/bin/python bench/feeds.py [--films 50] [--requests 200]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(client, url: str, requests: int, **kwargs) -> tuple[float, int]:
    """The median milliseconds of `requests` GETs of url, and the status they answered."""
    times, status = [], None
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    from app import create_app
    from app.extensions import db
    from app.films import content
    from tests.helpers import add_films

    work = Path(tempfile.mkdtemp(prefix="marquee-feeds-"))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}",
            "POSTER_DIR": str(work / "posters"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
    add_films(app, [(1, 2, 3, 4, 5)] * (args.films - 1))
    client = app.test_client()
    etag = client.get("/feed.atom").headers["ETag"]
    rows = [
        ("/feed.atom", timed(client, "/feed.atom", args.requests)),
        ("/feed.atom, If-None-Match", timed(client, "/feed.atom", args.requests,
                                            headers={"If-None-Match": etag})),
        ("/films/the-way-back", timed(client, "/films/the-way-back", args.requests)),
    ]  # fmt: skip
    print(f"{args.films} films, {args.requests} requests each, median")
    for url, (ms, status) in rows:
        print(f"{url:<28} {status}  {ms:6.2f} ms")


if __name__ == "__main__":
    main()
