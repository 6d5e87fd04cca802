"""A real gunicorn serving this worktree's Marquee, and browsers (requests sessions) to load it.

`gunicorn_server(**env)` migrates a fresh database (the suite's: an SQLite file in tmp_path, or a
PostgreSQL schema of its own), imports the demo film, starts `gunicorn -w 4` from this virtual
environment on a free loopback port, waits for /healthz, and stops it after the test. The
listening socket belongs to the test, so the server can be killed and restarted on the same
address while clients keep connecting. The servers of one test share a Redis key prefix of
their own, so that rate limits never mix with another test's.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.databases import fresh_database_url
from tests.load.helpers import SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60


class Server:
    """One gunicorn master and its workers, on a socket and a database of the test's own."""

    def __init__(
        self, folder: Path, workers: int, env: dict[str, str], database: str, app: str = "wsgi:app"
    ):
        self.workers = workers
        self.database = database
        self.app = app
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.listener.set_inheritable(True)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database,
            "SECRET_KEY": SECRET_KEY,
            "BIND": f"fd://{self.listener.fileno()}",
            "WEB_CONCURRENCY": str(workers),
            **env,
        }
        self.log_path = folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """`flask --app wsgi ARGS` against the server's database."""
        return subprocess.run(
            [BIN / "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [BIN / "gunicorn", "--config", "gunicorn.conf.py", self.app],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(self.listener.fileno(),),
                # Its own process group: kill_all() reaches the master and every worker.
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer /healthz in {STARTUP_SECONDS} s:\n{self.log()}")

    def _healthy(self) -> bool:
        try:
            return requests.get(self.url + "/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except FileNotFoundError:
            return []

    def kill_worker(self) -> int:
        """kill -9 one worker; the master starts another in its place."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """kill -9 the master and every worker at once, as a crash or an OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill_all()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def query(self, sql: str) -> list[tuple]:
        engine = create_engine(self.database, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql))]
        finally:
            engine.dispose()

    def votes_by_visitor(self) -> dict[str, int]:
        return dict(self.query("SELECT visitor, stars FROM votes"))

    def tally(self) -> tuple[int, ...]:
        return self.query("SELECT count, s1, s2, s3, s4, s5 FROM tallies")[0]

    def integrity(self) -> str:
        """SQLite's check of its file. PostgreSQL, a server of its own, outlives its clients'
        crashes by design: there, that it answers and the rows are readable."""
        if self.database.startswith("sqlite"):
            return self.query("PRAGMA integrity_check")[0][0]
        self.query("SELECT count(*), sum(stars) FROM votes")
        return "ok"


@pytest.fixture
def gunicorn_server(tmp_path) -> Iterator:
    """A factory: gunicorn_server(workers=4, **environment) gives a started Server.

    database= another server's database serves the same site from a second server;
    app= another WSGI module than wsgi:app.
    """
    servers = []
    prefix = f"test-{uuid.uuid4().hex}:"

    with ExitStack() as databases:

        def start(
            workers: int = 4, database: str | None = None, app: str = "wsgi:app", **env: str
        ) -> Server:
            folder = tmp_path / f"server-{len(servers)}"
            folder.mkdir()
            fresh = database is None
            if fresh:
                database = databases.enter_context(fresh_database_url(folder, "marquee"))
            env = {"RATELIMIT_KEY_PREFIX": prefix, **env}
            server = Server(folder, workers, env, database, app)
            servers.append(server)
            for command in (("db", "upgrade"), ("films", "import", "--demo")) if fresh else ():
                result = server.flask(*command)
                assert result.returncode == 0, result.stderr
            server.start()
            return server

        yield start
        for server in servers:
            server.stop()
            server.listener.close()
