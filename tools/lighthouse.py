"""Lighthouse scores of the home and film pages, served by gunicorn as in production.

Run by `make audit`: migrates a fresh SQLite database in a temporary folder, loads the demo
film, serves it on a free loopback port, runs Lighthouse 12 (node_modules/, from package.json)
in Debian's Chromium (mobile and desktop settings, the median of three runs each), and prints
the four scores of each page as a Markdown table. With
--readme PATH, the table also replaces the one between the Lighthouse markers in that file.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "/", "film page": "/films/the-way-back"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz")


def scores(url: str, form_factor: str, workdir: Path) -> dict[str, int]:
    report = workdir / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            *(["--preset=desktop"] if form_factor == "desktop" else []),
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def median_scores(url: str, form_factor: str, workdir: Path, runs: int) -> dict[str, int]:
    """Each category's median over several runs: on a shared machine one run can be noisy."""
    results = [scores(url, form_factor, workdir) for _ in range(runs)]
    return {name: statistics.median_low(r[name] for r in results) for name in CATEGORIES}


def table(results: dict[tuple[str, str], dict[str, int]]) -> str:
    lines = [
        "| page | device | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for (page, form_factor), result in results.items():
        lines.append(
            f"| {page} | {form_factor} | " + " | ".join(str(result[c]) for c in CATEGORIES) + " |"
        )
    return "\n".join(lines)


def write_into(readme: Path, text: str) -> None:
    content = readme.read_text()
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(f"{before}{START}\n{text}\n{END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, help="write the table into this file too")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make audit` (npm ci installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'audit.sqlite3'}",
            "SECRET_KEY": "lighthouse-audit",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "warning",
        }
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True)
        subprocess.run([*flask, "films", "import", "--demo"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, server)
            results = {
                (page, form_factor): median_scores(url + path, form_factor, workdir, args.runs)
                for page, path in PAGES.items()
                for form_factor in ("mobile", "desktop")
            }
        finally:
            server.terminate()
            server.wait()
    text = table(results)
    print(text)
    if args.readme:
        write_into(args.readme, text)


if __name__ == "__main__":
    main()
