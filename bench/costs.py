"""`make profile`: the bench's scenarios in-process, counted by cachegrind and profiled by cProfile.

Instructions a request are the number to compare between commits: unlike wrk's req/s they
barely move with the machine's load. Each scenario runs in a child process under
`valgrind --tool=cachegrind` twice, with the same set-up and warm-up, once sending N requests
and once making them ready only; the difference over N is its cost a request. The requests
are plain WSGI calls (no server, no socket) on a copy of a prepared SQLite database (the demo
film, --films films and --votes votes on the demo film), with the environment that gunicorn
would pass. A third
run, without valgrind, profiles the same requests with cProfile: the top functions by own time.
The hello app (bench/hello.py) is counted the same way, for the ratio. The report goes to
stdout and, with --output, into that file between the profile markers.
"""

import argparse
import cProfile
import gc
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402  (the bench's database set-up, reused)

WARM_UP = 10
SECRET = "profile-" + "0" * 56
MARKERS = ("<!-- profile:start -->", "<!-- profile:end -->")
HOST = "127.0.0.1:8000"
VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]


@dataclass(frozen=True)
class Scenario:
    """One kind of request; `kind` says how its sessions are made (see _requests())."""

    label: str
    method: str
    path: str
    kind: str = "plain"
    hello: bool = False


SCENARIOS = {
    "film": Scenario("film page GET, first visit", "GET", bench.FILM),
    "film-returning": Scenario("film page GET, returning visitor", "GET", bench.FILM, "session"),
    "film-304": Scenario("film page GET, If-None-Match", "GET", bench.FILM, "etag"),
    "fragment": Scenario("rating fragment GET (htmx)", "GET", bench.RATING, "session"),
    "vote-new": Scenario("vote POST, new vote", "POST", bench.RATING, "new"),
    "vote-change": Scenario("vote POST, changed vote", "POST", bench.RATING, "change"),
    "vote-repeat": Scenario("vote POST, repeated vote", "POST", bench.RATING, "repeat"),
    "home": Scenario("home page GET", "GET", "/"),
    "search": Scenario("search GET", "GET", bench.SEARCH),
    "genre": Scenario("genre page GET", "GET", bench.GENRE),
    "person": Scenario("person page GET", "GET", bench.PERSON),
    "hello-get": Scenario("hello GET", "GET", "/", hello=True),
    "hello-post": Scenario("hello POST", "POST", "/", "hello-post", hello=True),
}


# --- the child: one scenario, in one process -----------------------------------------------


def _environ(method: str, path: str, headers: dict[str, str], body: bytes) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call(app, request: tuple) -> tuple[str, dict, bytes]:
    """One WSGI call, its body read to the end, as a server would."""
    answer = []

    def start_response(status, headers, exc_info=None):
        answer[:] = [status, dict(headers)]

    result = app(_environ(*request), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer[0], answer[1], body


def _sessions(app, count: int) -> list[tuple[str, str, str]]:
    """`count` returning visitors: (visitor id, session cookie, CSRF form token), signed as the
    app signs them, so making them costs no request."""
    from itsdangerous import URLSafeTimedSerializer

    cookies = app.session_interface.get_signing_serializer(app)
    tokens = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    name = app.config["SESSION_COOKIE_NAME"]
    made = []
    for i in range(count):
        visitor, raw = f"profile-visitor-{i:06d}", f"{i:040x}"
        cookie = cookies.dumps({"_permanent": True, "visitor": visitor, "csrf_token": raw})
        made.append((visitor, f"{name}={cookie}", tokens.dumps(raw)))
    return made


def _seed_votes(app, visitors: list[str], stars: int) -> None:
    """Earlier votes of these visitors, through the vote rules, before anything is counted."""
    from app.core.catalog import visible_film_id
    from app.ratings import votes

    with app.app_context():
        film_id = visible_film_id(bench.SLUG)
        for visitor in visitors:
            votes.seed(film_id, visitor, stars)


def _requests(app, scenario: Scenario, count: int) -> list[tuple]:
    """`count` requests of the scenario, each a (method, path, headers, body) for _environ()."""
    plain = (scenario.method, scenario.path, {}, b"")
    if scenario.kind == "plain":
        return [plain] * count
    if scenario.kind == "hello-post":
        return [(*plain[:3], b"stars=4")] * count
    sessions = _sessions(app, count)
    htmx = {"HX-Request": "true"} if scenario.path == bench.RATING else {}
    if scenario.kind == "session":
        return [("GET", scenario.path, {"Cookie": c, **htmx}, b"") for _, c, _ in sessions]
    if scenario.kind == "etag":
        requests = []
        for _, cookie, _ in sessions:
            _, headers, _ = call(app, ("GET", scenario.path, {"Cookie": cookie}, b""))
            if "ETag" not in headers:
                raise SystemExit(f"{scenario.path} answers no ETag")
            etag = headers["ETag"]
            requests.append(("GET", scenario.path, {"Cookie": cookie, "If-None-Match": etag}, b""))
        return requests
    # Votes: new ones from visitors who never voted, changes from 3 stars to 4, repeats of 3.
    if scenario.kind in {"change", "repeat"}:
        _seed_votes(app, [visitor for visitor, _, _ in sessions], 3)
    stars = {"new": 5, "change": 4, "repeat": 3}[scenario.kind]
    return [
        ("POST", scenario.path, {"Cookie": c, **htmx}, f"csrf_token={t}&stars={stars}".encode())
        for _, c, t in sessions
    ]


def child(name: str, count: int, profile_to: str | None, run: bool = True) -> None:
    scenario = SCENARIOS[name]
    if scenario.hello:
        from bench.hello import app
    else:
        from app import create_app
        from app.core.warmup import warm_up

        app = create_app()
        # Top rated is worked out once per 30 s slot: valgrind runs Python slowly enough that a
        # new slot, and with it ranking 10,000 films, could fall in one of the two runs counted
        # and not the other. One slot for the whole run: its order is made in the warm-up.
        app.config["TOP_RATED_SECONDS"] = 10**9
        warm_up(app)
    requests = _requests(app, scenario, WARM_UP + count)
    for request in requests[:WARM_UP]:
        call(app, request)
    # As gunicorn's master does before forking a worker (gunicorn.conf.py): what is made so far
    # is never scanned again, so a full collection costs what the requests made, not the heap;
    # else one, falling in one of the two runs counted and not the other, moves the difference.
    gc.collect()
    gc.freeze()
    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    # A baseline run makes the same requests ready, and sends none of them.
    statuses = [call(app, request)[0] for request in requests[WARM_UP:] if run]
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
    expected = "304" if scenario.kind == "etag" else "200"
    if any(not status.startswith(expected) for status in statuses):
        raise SystemExit(f"{name}: answers {sorted(set(statuses))}, expected {expected}")


# --- the parent: databases, valgrind runs, the report --------------------------------------


def prepare(tmp: Path, films: int, votes: int) -> Path:
    db = tmp / "prepared.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": SECRET}
    bench.fresh_database(env)
    if films > 1 or votes:
        bench.seed_scale(db, films, votes)
    return db


def _child_env(tmp: Path, prepared: Path, run: str) -> dict:
    copy = tmp / f"{run}.sqlite3"
    for stale in (copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        # A copy of that name left by an earlier run in the same folder: its log is not ours.
        stale.unlink(missing_ok=True)
    shutil.copyfile(prepared, copy)
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{copy}",
        "SECRET_KEY": SECRET,
        "RATELIMIT_ENABLED": "false",  # as in the bench: limits would refuse its votes
        "LOG_LEVEL": "warning",
        "PYTHONHASHSEED": "0",
    }


def _run_child(tmp: Path, prepared: Path, name: str, count: int, valgrind: bool, **extra) -> str:
    command = [sys.executable, __file__, "--child", name, "--requests", str(count)]
    if extra.get("baseline"):
        command.append("--baseline")
    if extra.get("profile_to"):
        command += ["--profile-to", extra["profile_to"]]
    if valgrind:
        command = VALGRIND + command
    env = _child_env(tmp, prepared, f"{name}-{count}-{valgrind}-{bool(extra.get('baseline'))}")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    return done.stderr


def instructions(tmp: Path, prepared: Path, name: str, count: int) -> float:
    """Instructions a request: (run with `count` requests − run that makes them ready and sends
    none) / count."""

    def refs(baseline: bool) -> int:
        out = _run_child(tmp, prepared, name, count, valgrind=True, baseline=baseline)
        match = re.search(r"I\s+refs:\s+([\d,]+)", out)
        if not match:
            raise SystemExit(f"{name}: no instruction count in valgrind's output:\n{out[-2000:]}")
        return int(match.group(1).replace(",", ""))

    return (refs(False) - refs(True)) / count


def top_functions(tmp: Path, prepared: Path, name: str, count: int, top: int) -> list[str]:
    out = tmp / f"{name}.pstats"
    _run_child(tmp, prepared, name, count, valgrind=False, profile_to=str(out))
    stats = pstats.Stats(str(out))
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    total = sum(entry[2] for entry in stats.stats.values()) or 1
    lines = []
    for (path, line, function), (_, calls, own, _cumulative, _) in rows:
        where = path.replace(str(ROOT) + "/", "")
        where = re.sub(r".*/site-packages/", "", where)
        lines.append(
            f"| `{function}` | `{where}:{line}` | {calls / count:g} | {100 * own / total:.1f} % |"
        )
    return lines


def report(results: dict, args) -> str:
    hello = {"GET": results.get("hello-get", {}).get("ir"), "POST": None}
    hello["POST"] = results.get("hello-post", {}).get("ir")
    lines = [
        f"`make profile` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.requests} requests a "
        f"scenario after {WARM_UP} to warm up, {args.films:,} films, {args.votes:,} votes on "
        "the demo film; Python " + sys.version.split()[0] + ".",
        "",
        "| scenario | instructions a request | × hello (same method) |",
        "|---|---:|---:|",
    ]
    for name, result in results.items():
        scenario = SCENARIOS[name]
        base = hello[scenario.method]
        ratio = f"{result['ir'] / base:.2f}×" if base and not scenario.hello else ""
        lines.append(f"| {scenario.label} `{name}` | {result['ir'] / 1e6:.2f} M | {ratio} |")
    for name, result in results.items():
        if result.get("top"):
            lines += [
                "",
                f"### {SCENARIOS[name].label}: top {args.top} by own time (cProfile)",
                "",
                "| function | where | calls a request | own time |",
                "|---|---|---:|---:|",
                *result["top"],
            ]
    return "\n".join(lines)


def write_into(path: Path, text: str) -> None:
    start, end = MARKERS
    content = path.read_text() if path.exists() else f"{start}\n{end}\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(content):
        content += f"\n{start}\n{end}\n"
    path.write_text(pattern.sub(lambda _: f"{start}\n{text}\n{end}", content))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="counted requests a scenario")
    parser.add_argument("--films", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000)
    parser.add_argument("--top", type=int, default=10, help="functions listed per scenario")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="counts only")
    parser.add_argument("--output", type=Path, help="a Markdown file to write the report into")
    parser.add_argument("scenarios", nargs="*", help=f"of {', '.join(SCENARIOS)}; default all")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests, args.profile_to, run=not args.baseline)
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is missing: sudo apt-get install valgrind (Debian package)")
    names = args.scenarios or list(SCENARIOS)
    if unknown := set(names) - set(SCENARIOS):
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    tmp = Path(tempfile.mkdtemp(prefix="marquee-profile-"))
    try:
        print("preparing the database", file=sys.stderr, flush=True)
        prepared = prepare(tmp, args.films, args.votes)
        results: dict[str, dict] = {}
        for name in names:
            print(f"  {name}", file=sys.stderr, flush=True)
            results[name] = {"ir": instructions(tmp, prepared, name, args.requests)}
            if args.profile and not SCENARIOS[name].hello:
                results[name]["top"] = top_functions(
                    tmp, prepared, name, max(args.requests, 200), args.top
                )
        text = report(results, args)
        print(text)
        if args.output:
            write_into(args.output, text)
        return 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
