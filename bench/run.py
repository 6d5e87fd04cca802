"""`make bench`: Marquee against a minimal Flask app, under the same gunicorn settings, with wrk.

Starts Marquee (gunicorn.conf.py, a fresh SQLite database with the demo film) and bench/hello.py
under the same settings, drives them with wrk at 32 connections in alternating rounds (A B A B),
and prints req/s, p50 and p99 of each scenario with its ratio to hello world measured in the same
run, and the peak RSS of each worker. With --scale (the default) a second database gets
1,000,000 votes on the film and 10,000 films, and its latencies are compared with the small one
(the home page's with a database of 48 films, whose pages show as many cards).
The Markdown table goes to stdout and into README.md between the bench markers.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import upload  # bench/upload.py, beside this script
import wxr  # bench/wxr.py

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
SLUG = "the-way-back"
FILM = f"/films/{SLUG}"
RATING = f"{FILM}/rating"
CONNECTIONS = 32
SCALE_CONNECTIONS = 2
FILMS_PER_PAGE = 24  # app/config.py's default, which the bench's servers run with
THREADS = 2
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
REPEATED_STARS = 3  # what the changed and repeated votes' visitors voted before the bench
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name; none for a process just gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return []


class Server:
    """One gunicorn instance with the production config, its workers' peak RSS sampled."""

    def __init__(self, name: str, app: str, env: dict, tmp: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (tmp / f"{name}.log").open("w")
        self.peak_rss: dict[int, int] = {}
        self.proc = subprocess.Popen(
            [BIN / "gunicorn", "--config", ROOT / "gunicorn.conf.py", app],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{self.name} did not start; see {self.log.name}") from None
                time.sleep(0.2)

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except FileNotFoundError:
            return []
        return [int(pid) for pid in children.split()]

    def sample_rss(self) -> None:
        """Keep each worker's VmHWM (peak RSS): workers are recycled, so sample after each run."""
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if match:
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), int(match.group(1)))

    def cpu_seconds(self) -> float:
        """User + system CPU time of all workers so far, live ones and those recycled
        (max_requests): the master reaps those, and /proc counts their time as its children's.
        The master's own time is left out: it serves no requests."""
        master = _stat(self.proc.pid)
        ticks = int(master[13]) + int(master[14]) if master else 0  # cutime + cstime
        for pid in self.workers():
            if worker := _stat(pid):
                ticks += int(worker[11]) + int(worker[12])  # utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def max_rss_mb(self) -> float:
        return max(self.peak_rss.values(), default=0) / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def add(self, run: dict) -> None:
        self.requests += run["requests"]
        self.seconds += run["duration_us"] / 1e6
        self.p50.append(run["p50_us"] / 1000)
        self.p99.append(run["p99_us"] / 1000)
        for kind in ("connect", "read", "write", "status", "timeout"):
            self.errors[kind] = self.errors.get(kind, 0) + run[kind]

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: what the ratio of req/s would be on an idle machine."""
        return 1000 * self.cpu / self.requests if self.requests else 0.0

    @property
    def p50_ms(self) -> float:
        return sorted(self.p50)[len(self.p50) // 2]

    @property
    def p99_ms(self) -> float:
        # The worst round's p99: a bad round must not hide behind a good one.
        return max(self.p99)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


@dataclass
class Scenario:
    """One load: a server, a path, and a wrk script, or a function that writes the script of
    each run (its number from 0), for scripts whose sessions may be used only once."""

    label: str
    server: Server
    path: str
    script: Path | Callable[[int], Path]
    result: Result = field(default_factory=Result)
    runs: int = 0

    def next_script(self) -> Path:
        self.runs += 1
        return self.script if isinstance(self.script, Path) else self.script(self.runs - 1)


def wrk_script(tmp: Path, name: str, prelude: str, body: str) -> Path:
    path = tmp / f"{name}.lua"
    report = (BENCH / "wrk" / "report.lua").read_text()
    path.write_text(prelude + "\n" + body + "\n" + report)
    return path


def sessions_script(
    tmp: Path, name: str, sessions: Path, method: str, path: str, stars: int = 0, once=False
) -> Path:
    prelude = f"SESSIONS = {json.dumps(str(sessions))}\nMETHOD = {json.dumps(method)}\n"
    prelude += f"PATH = {json.dumps(path)}\nSTARS = {stars}\nTHREADS = {THREADS}\n"
    prelude += f"ONCE = {'true' if once else 'false'}"
    return wrk_script(tmp, name, prelude, (BENCH / "wrk" / "sessions.lua").read_text())


def signed_sessions(secret: str, prefix: str, count: int) -> list[tuple[str, str]]:
    """(visitor id, "cookie\ttoken") of `count` visitors, signed as Marquee signs its session
    cookie and CSRF token with that secret: as many as a run of new votes needs, at no
    request's cost."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import URLSafeTimedSerializer

    app = Flask("bench")
    app.secret_key = secret
    cookies = SecureCookieSessionInterface().get_signing_serializer(app)
    tokens = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
    made = []
    for i in range(count):
        visitor, raw = f"{prefix}-{i:07d}", f"{prefix}-{i:07d}-csrf"
        cookie = cookies.dumps({"_permanent": True, "visitor": visitor, "csrf_token": raw})
        made.append((visitor, f"session={cookie}\t{tokens.dumps(raw)}"))
    return made


def once_scripts(tmp: Path, name: str, sessions: list[tuple[str, str]], per_run: int, stars: int):
    """The script of each run of a vote scenario whose sessions are used once: run n gets the
    n-th block of `per_run` sessions (a run that used them all would start over)."""

    def script(run: int) -> Path:
        block = sessions[run * per_run : (run + 1) * per_run] or sessions[-per_run:]
        path = tmp / f"{name}-{run}.txt"
        path.write_text("\n".join(line for _, line in block) + "\n")
        return sessions_script(tmp, f"{name}-{run}", path, "POST", RATING, stars, once=True)

    return script


def run_wrk(
    scenario: Scenario, seconds: float, record: bool = True, connections: int = CONNECTIONS
) -> None:
    cpu_before = scenario.server.cpu_seconds()
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(THREADS, connections)}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(scenario.next_script()),
            scenario.server.url + scenario.path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scenario.server.sample_rss()
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    if record:
        scenario.result.add(json.loads(line[len("BENCH ") :]))
        scenario.result.cpu += scenario.server.cpu_seconds() - cpu_before


def alternate(
    a: Scenario, b: Scenario, rounds: int, seconds: float, done: list, **wrk_options
) -> None:
    """A B A B ...: both see the same machine, whatever else it is doing meanwhile."""
    print(f"  {a.label} vs {b.label}", file=sys.stderr, flush=True)
    done += [a, b]
    for s in (a, b):
        run_wrk(s, 1, record=False, **wrk_options)
    for _ in range(rounds):
        run_wrk(a, seconds, **wrk_options)
        run_wrk(b, seconds, **wrk_options)


def make_sessions(server: Server, count: int, path: Path) -> None:
    """Real first visits: each GET of the film page gives a session cookie and its CSRF token."""

    def visit(_):
        with urllib.request.urlopen(server.url + FILM, timeout=30) as r:
            cookie = r.headers["Set-Cookie"].split(";", 1)[0]
            token = _TOKEN.search(r.read().decode()).group(1)
        return f"{cookie}\t{token}"

    with ThreadPoolExecutor(8) as pool:
        path.write_text("\n".join(pool.map(visit, range(count))) + "\n")


def etag_sessions(server: Server, sessions: Path, path: Path) -> Path | None:
    """The sessions with the film page's ETag for each (a returning visitor's conditional GET);
    None when the page has no ETag."""
    lines = []
    for line in sessions.read_text().splitlines():
        request = urllib.request.Request(server.url + FILM, headers={"Cookie": line.split("\t")[0]})
        with urllib.request.urlopen(request, timeout=30) as r:
            if "ETag" not in r.headers:
                return None
            lines.append(f"{line}\t{r.headers['ETag']}")
    path.write_text("\n".join(lines) + "\n")
    return path


def flask_cli(env: dict, *args: str) -> str:
    return subprocess.run(
        [BIN / "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def fresh_database(env: dict) -> None:
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "films", "import", "--demo")


def seed_scale(db_path: Path, films: int, votes: int) -> None:
    """Bulk SQL, not the app: films and votes from recursive CTEs, tallies recounted to match."""
    con = sqlite3.connect(db_path)
    stamp = "2024-01-01 00:00:00.000000"
    with con:
        (film_id,) = con.execute("SELECT id FROM films WHERE slug = ?", (SLUG,)).fetchone()
        con.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO films (slug, title, year, published_on, is_published, body, country,
                               languages, updated_at)
            SELECT 'bench-film-' || i, 'Bench Film ' || i, 1950 + i % 70,
                   date('1990-01-01', '+' || (i % 9000) || ' days'), 1,
                   'A film made up for the benchmark.', '', '', ?
            FROM n""",
            (films - 1, stamp),
        )
        con.execute(
            "INSERT INTO tallies (film_id, count, s1, s2, s3, s4, s5)"
            " SELECT id, 0, 0, 0, 0, 0, 0 FROM films"
            " WHERE id NOT IN (SELECT film_id FROM tallies)"
        )
        if votes:
            con.execute(
                """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO votes (film_id, visitor, stars, created_at, updated_at)
                SELECT ?, 'seed-' || i, 1 + (i * 7 + i / 3) % 5, ?, ? FROM n""",
                (votes, film_id, stamp, stamp),
            )
        recount(con, film_id)
        seed_browse(con)
    con.execute("ANALYZE")
    con.close()


def recount(con: sqlite3.Connection, film_id: int) -> None:
    """The film's tally from its votes, as `ratings verify` checks it."""
    per_star = dict(
        con.execute(
            "SELECT stars, count(*) FROM votes WHERE film_id = ? GROUP BY stars", (film_id,)
        ).fetchall()
    )
    counts = [per_star.get(n, 0) for n in range(1, 6)]
    con.execute(
        "UPDATE tallies SET count = ?, s1 = ?, s2 = ?, s3 = ?, s4 = ?, s5 = ? WHERE film_id = ?",
        (sum(counts), *counts, film_id),
    )


def seed_votes(db_path: Path, visitors: list[str], stars: int) -> None:
    """Earlier votes of these visitors on the film, so that theirs in the bench change or
    repeat them."""
    con = sqlite3.connect(db_path)
    stamp = "2024-01-01 00:00:00.000000"
    with con:
        (film_id,) = con.execute("SELECT id FROM films WHERE slug = ?", (SLUG,)).fetchone()
        con.executemany(
            "INSERT INTO votes (film_id, visitor, stars, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(film_id, visitor, stars, stamp, stamp) for visitor in visitors],
        )
        recount(con, film_id)
    con.close()


# Made-up people: each bench film has one of DIRECTORS directors (5 films each at 10,000) and
# two of ACTORS actors, their first names from FIRST (as common as names are), their surnames
# their own; each film is in one or two of GENRES.
DIRECTORS, ACTORS = 2000, 3000
FIRST = ("Ana", "Jan", "Maria", "Peter", "Olga", "Luis", "Mei", "Omar", "Ines", "Karl")
GENRES = ("Drama", "Comedy", "Thriller", "Western", "Documentary", "Romance", "Horror", "Animation")
# A search for a director by full name, their page, and a genre's (an eighth of the films or
# more).
DIRECTOR = 1234
SEARCH = f"/search?q={FIRST[DIRECTOR % len(FIRST)]}+Kowal{DIRECTOR}"
PERSON = f"/people/{FIRST[DIRECTOR % len(FIRST)].lower()}-kowal{DIRECTOR}"
GENRE = "/genres/drama"


def seed_browse(con: sqlite3.Connection) -> None:
    """People, credits, genres and search text for the bench films, as the import makes them
    (app/films/content.py): folded words, space-separated; FTS5's triggers index them."""
    bench = "SELECT id FROM films WHERE slug LIKE 'bench-film-%'"
    names = " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(FIRST))
    for last, count in (("Kowal", DIRECTORS), ("Nowak", ACTORS)):
        con.execute(
            f"""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
            named(i, first) AS (SELECT i, CASE i % {len(FIRST)} {names} END FROM n)
            INSERT INTO people (slug, name)
            SELECT lower(first) || '-' || lower(?) || i, first || ' ' || ? || i FROM named""",
            (count - 1, last, last),
        )
    for role, person, position, character in (
        ("director", ("Kowal", f"f.id % {DIRECTORS}"), 0, "NULL"),
        ("starring", ("Nowak", f"f.id % {ACTORS}"), 1, "'Lead ' || f.id"),
        ("starring", ("Nowak", f"(f.id * 7 + 1) % {ACTORS}"), 2, "'Friend ' || f.id"),
    ):
        last, number = person
        slug = (
            f"lower(CASE ({number}) % {len(FIRST)} {names} END) || '-{last.lower()}' || ({number})"
        )
        con.execute(
            "INSERT INTO credits (film_id, person_id, role, name, character, position)"
            f" SELECT f.id, p.id, '{role}', p.name, {character}, {position}"
            f" FROM films f JOIN people p ON p.slug = {slug} WHERE f.id IN ({bench})"
        )
    con.executemany(
        "INSERT OR IGNORE INTO genres (slug, name) VALUES (?, ?)",
        [(name.lower(), name) for name in GENRES],
    )
    for spread in (1, 3):
        con.execute(
            "INSERT OR IGNORE INTO film_genres (film_id, genre_id)"
            f" SELECT f.id, g.id FROM films f JOIN genres g"
            f" ON g.slug = CASE (f.id * {spread}) % {len(GENRES)} "
            + " ".join(f"WHEN {i} THEN '{name.lower()}'" for i, name in enumerate(GENRES))
            + f" END WHERE f.id IN ({bench})"
        )
    con.execute(
        "INSERT INTO film_search (film_id, title, people)"
        " SELECT f.id, lower(f.title),"
        " (SELECT group_concat(lower(c.name), ' ') FROM credits c WHERE c.film_id = f.id)"
        f" FROM films f WHERE f.id IN ({bench})"
    )


def last_page(db_path: Path) -> str:
    """The home page's last page, by key (app/films/keyset.py): after the film before it."""
    con = sqlite3.connect(db_path)
    (visible,) = con.execute(
        "SELECT count(*) FROM films WHERE is_published AND published_on <= date('now')"
    ).fetchone()
    before = (-(-visible // FILMS_PER_PAGE) - 1) * FILMS_PER_PAGE - 1
    day, film_id = con.execute(
        "SELECT published_on, id FROM films WHERE is_published AND published_on <= date('now')"
        " ORDER BY published_on DESC, id DESC LIMIT 1 OFFSET ?",
        (before,),
    ).fetchone()
    con.close()
    return "/?after=" + base64.urlsafe_b64encode(f"{day}.{film_id}".encode()).decode()


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}"


def row(name: str, r: Result, base: Result | None = None, note: str = "") -> str:
    ratio = f"{r.rps / base.rps:.2f}×" if base and base.rps else ""
    return (
        f"| {name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {ratio} | {r.cpu_ms:.2f} "
        f"| {r.error_count} | {note} |"
    )


def update_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text()
    start, end = MARKERS
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(content):
        raise SystemExit("README.md has no bench markers")
    readme.write_text(pattern.sub(lambda _: f"{start}\n{text}\n{end}", content))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds per scenario")
    parser.add_argument("--sessions", type=int, default=1000, help="pre-made visitor sessions")
    parser.add_argument("--no-scale", dest="scale", action="store_false", help="skip scale")
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--films", type=int, default=10_000)
    parser.add_argument("--no-readme", dest="readme", action="store_false")
    parser.add_argument(
        "--no-wide", dest="wide", action="store_false", help="skip the 2 × cores workers run"
    )
    parser.add_argument(
        "--wxr-posts", type=int, default=5000, help="posts of the WordPress import row (0: none)"
    )
    parser.add_argument(
        "--vote-rate", type=int, default=4000, help="votes a second that sessions are made for"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install wrk (Debian package)")

    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="marquee-bench-"))
    base_env = {
        **os.environ,
        "SECRET_KEY": os.urandom(32).hex(),
        "LOG_LEVEL": "warning",
        # Rate limits would refuse a benchmark's thousands of votes; they are not measured here.
        "RATELIMIT_ENABLED": "false",
    }
    small_env = {**base_env, "DATABASE_URL": f"sqlite:///{tmp / 'small.sqlite3'}"}
    large_env = {**base_env, "DATABASE_URL": f"sqlite:///{tmp / 'large.sqlite3'}"}
    # The home page's yardstick: as many cards as on the large database, from 48 films.
    pages_env = {**base_env, "DATABASE_URL": f"sqlite:///{tmp / 'pages.sqlite3'}"}
    servers: list[Server] = []
    try:
        print("setting up databases", file=sys.stderr, flush=True)
        fresh_database(small_env)
        if args.scale:
            fresh_database(large_env)
            seed_scale(tmp / "large.sqlite3", args.films, args.votes)
            fresh_database(pages_env)
            seed_scale(tmp / "pages.sqlite3", 2 * FILMS_PER_PAGE, 0)
            verdict = flask_cli(large_env, "ratings", "verify").strip()
            print(f"  scale database seeded; ratings verify: {verdict}", file=sys.stderr)

        secret = base_env["SECRET_KEY"]
        runs = args.rounds + 1  # and the warm-up run before them
        per_run = int(args.seconds * args.vote_rate)
        widths = [("default", {})]
        if args.wide:
            widths.append(("wide", {"WEB_CONCURRENCY": str(2 * len(os.sched_getaffinity(0)))}))
        # Each vote scenario has visitors of its own: new ones never voted; changed ones voted
        # REPEATED_STARS and vote one more, each once; repeated ones vote what they voted.
        new_votes, changed = {}, {}
        for width, _ in widths:
            new_votes[width] = signed_sessions(secret, f"bench-new-{width}", per_run * runs)
            changed[width] = signed_sessions(secret, f"bench-change-{width}", per_run * runs)
        repeated = signed_sessions(secret, "bench-repeat", args.sessions)
        seed_votes(
            tmp / "small.sqlite3",
            [visitor for sessions in [*changed.values(), repeated] for visitor, _ in sessions],
            REPEATED_STARS,
        )
        s_repeat = tmp / "sessions-repeat.txt"
        s_repeat.write_text("\n".join(line for _, line in repeated) + "\n")

        plain = wrk_script(tmp, "plain", "", "")
        hello_post = wrk_script(tmp, "post", "", (BENCH / "wrk" / "post.lua").read_text())
        measured: list[Scenario] = []
        # Per scenario label: (its result, hello's) at each worker count.
        speed: dict[str, list[tuple[Result, Result]]] = {}
        width_workers: list[int] = []
        marquee = None
        for width, width_env in widths:
            marquee = Server(f"marquee-{width}", "wsgi:app", {**small_env, **width_env}, tmp)
            servers.append(marquee)
            marquee.wait(FILM)
            page_bytes = len(urllib.request.urlopen(marquee.url + FILM).read())
            hello = Server(
                f"hello-{width}",
                "bench.hello:app",
                {**base_env, **width_env, "BENCH_PAGE_BYTES": str(page_bytes)},
                tmp,
            )
            servers.append(hello)
            hello.wait("/")
            width_workers.append(len(marquee.workers()))
            s_small = tmp / f"sessions-{width}.txt"
            make_sessions(marquee, args.sessions, s_small)
            pairs = [
                (Scenario("film page GET, first visit", marquee, FILM, plain), "GET"),
                (
                    Scenario(
                        "rating fragment GET",
                        marquee,
                        RATING,
                        sessions_script(tmp, f"fragment-{width}", s_small, "GET", RATING),
                    ),
                    "GET",
                ),
            ]
            if etags := etag_sessions(marquee, s_small, tmp / f"etags-{width}.txt"):
                script = sessions_script(tmp, f"etag-{width}", etags, "GET", FILM)
                pairs.append((Scenario("film page GET, 304", marquee, FILM, script), "GET"))
            for label, sessions, stars in (
                ("vote POST, new vote", new_votes[width], 4),
                ("vote POST, changed vote", changed[width], REPEATED_STARS + 1),
            ):
                script = once_scripts(tmp, f"{label[11:14]}-{width}", sessions, per_run, stars)
                pairs.append((Scenario(label, marquee, RATING, script), "POST"))
            script = sessions_script(
                tmp, f"repeat-{width}", s_repeat, "POST", RATING, REPEATED_STARS
            )
            pairs.append((Scenario("vote POST, repeated vote", marquee, RATING, script), "POST"))
            print(f"speed, {width} workers", file=sys.stderr, flush=True)
            for scenario, method in pairs:
                yardstick = plain if method == "GET" else hello_post
                base = Scenario(f"hello {method}", hello, "/", yardstick)
                alternate(scenario, base, args.rounds, args.seconds, measured)
                speed.setdefault(scenario.label, []).append((scenario.result, base.result))
            if width != "default":
                # The scale part below compares with the default width's server.
                marquee, hello = servers[-4], servers[-3]
                for server in servers[-2:]:
                    server.stop()

        scale_rows: list[str] = []
        if args.scale:
            large = Server("marquee-large", "wsgi:app", large_env, tmp)
            servers.append(large)
            large.wait(FILM)
            two_pages = Server("marquee-48-films", "wsgi:app", pages_env, tmp)
            servers.append(two_pages)
            two_pages.wait("/")
            # New votes on both databases, from visitors who have voted on neither.
            scale_votes = signed_sessions(secret, "bench-scale", per_run * runs)
            # (label, the yardstick's name, server, path and wrk script, then the large
            # database's path and script). Home pages are compared with the 48-film database's,
            # whose pages show as many cards (24 newest, and Top rated: the one film with votes).
            small = ("small DB", marquee)
            pages = ("48 films", two_pages)
            film_page = ("film page", large)
            last = last_page(tmp / "large.sqlite3")
            pairs = [
                ("film page GET, first visit", *small, FILM, plain, FILM, plain),
                (
                    "vote POST, new vote",
                    *small,
                    RATING,
                    once_scripts(tmp, "scale-s", scale_votes, per_run, 4),
                    RATING,
                    once_scripts(tmp, "scale-l", scale_votes, per_run, 4),
                ),
                ("home page GET", *pages, "/", plain, "/", plain),
                # The last page, by key: as cheap as the first (target 1.1x).
                (
                    "home page GET, last page",
                    *pages,
                    last_page(tmp / "pages.sqlite3"),
                    plain,
                    last,
                    plain,
                ),
                (
                    "home page GET, last page against the first",
                    "first page",
                    large,
                    "/",
                    plain,
                    last,
                    plain,
                ),
                # Search, a person and a genre against the film page (target 1.5x its p50).
                ("search GET", *film_page, FILM, plain, SEARCH, plain),
                ("person page GET", *film_page, FILM, plain, PERSON, plain),
                ("genre page GET", *film_page, FILM, plain, GENRE, plain),
                # The site's feed, newest reviews first, against the film page.
                ("feed GET", *film_page, FILM, plain, "/feed.atom", plain),
            ]
            print("scale", file=sys.stderr, flush=True)
            for label, name, server, path, script, large_path, large_script in pairs:
                a = Scenario(f"{label} ({name})", server, path, script)
                b = Scenario(f"{label} (large)", large, large_path, large_script)
                # Two connections, one per core: latency is then service time, not queueing.
                alternate(a, b, args.rounds, args.seconds, measured, connections=SCALE_CONNECTIONS)
                slower = b.result.p50_ms / a.result.p50_ms
                scale_rows.append(
                    row(f"{label}, {name} `{path}`", a.result)
                    + "\n"
                    + row(
                        f"{label}, 1M votes + 10k films `{large_path}`",
                        b.result,
                        note=f"p50 {slower:.2f}× {name}",
                    )
                )

        rss = ", ".join(f"{s.name} {s.max_rss_mb():.1f} MB" for s in servers)
        header = "| scenario | req/s | p50 ms | p99 ms | ratio to hello | server CPU ms/req "
        header += "| errors | note |\n|---|---:|---:|---:|---:|---:|---:|---|"
        wide = f"ratio at {width_workers[-1]} workers" if args.wide else "(no wide run)"
        lines = [
            f"`make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}; "
            f"gunicorn.conf.py defaults ({width_workers[0]} workers; the notes: the ratio at "
            f"WEB_CONCURRENCY = 2 × cores); wrk {THREADS} threads, {CONNECTIONS} connections, "
            f"{args.rounds}×{args.seconds:g} s rounds A B A B; film page {page_bytes:,} bytes "
            f"uncompressed; new and changed votes each from a visitor's session used once (up to "
            f"{per_run:,} a round), repeated votes from {args.sessions:,} sessions in turn.",
            "",
            header,
        ]
        for label, results in speed.items():
            (result, base), *others = results
            note = "; ".join(f"{wide} {r.rps / b.rps:.2f}×" for r, b in others if b.rps)
            yardstick = "hello world GET (same size)" if "GET" in label else "hello world POST"
            lines += [row(label, result, base, note), row(yardstick, base)]
        lines += ["", f"Peak RSS of the largest worker: {rss}.", "", upload.summary()]
        if args.wxr_posts:
            print("WordPress import", file=sys.stderr, flush=True)
            lines += ["", wxr.summary(args.wxr_posts)]
        if scale_rows:
            lines += [
                "",
                f"Scale: {args.votes:,} votes on the film and {args.films:,} films, at "
                f"{SCALE_CONNECTIONS} connections (one per core: latency is service time, not "
                "queueing); notes: p50 latency against the small database (the demo film), or for"
                " the home page against a database of 48 films (two pages of cards) or its own"
                " first page, for search, person and genre pages against the film page, in the"
                " same run.",
                "",
                header,
                *scale_rows,
            ]
        lines += ["", f"Total bench time {time.monotonic() - started:.0f} s."]
        table = "\n".join(lines)
        print(table)
        if args.readme:
            update_readme(table)
        if any(s.result.error_count for s in measured):
            print(f"errors during the run; logs in {tmp}", file=sys.stderr)
            return 1
        shutil.rmtree(tmp)
        return 0
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
