"""The WordPress import at size: a generated WXR export of N posts (5,000 by default, each with
a Gutenberg body of a few paragraphs, two categories, Rate My Post totals and three comments),
imported into a fresh SQLite database: posts per second, the process's peak resident memory and
how much of it the import added (flat: the export is streamed and each post let go once
written), and the second run, which finds everything imported and adds nothing.

    .venv/bin/python bench/wxr.py [--posts 5000] [--keep DIR]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tag(name: str, value) -> str:
    return f"<wp:{name}><![CDATA[{value}]]></wp:{name}>"


HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
    "\n<channel>\n<title>Generated blog</title><link>https://blog.example</link>\n"
    "<wp:wxr_version>1.2</wp:wxr_version>\n<wp:author>"
    + tag("author_login", "owner")
    + tag("author_email", "owner@blog.example")
    + tag("author_display_name", "The Owner")
    + "</wp:author>\n"
)
PARAGRAPH = (
    "<!-- wp:paragraph -->\n<p>Paragraph {n} of a review of <em>Film {i}</em>: the camera "
    "lingers, the score swells, and the <strong>third act</strong> earns its ending. "
    * 3
    + "</p>\n<!-- /wp:paragraph -->\n\n"
)


def comment(id_: int, parent: int) -> str:
    return (
        f"<wp:comment><wp:comment_id>{id_}</wp:comment_id>"
        + tag("comment_author", f"Reader {id_}")
        + tag("comment_author_email", f"r{id_}@mail.example")
        + tag("comment_author_IP", "203.0.113.1")
        + tag("comment_date_gmt", "2024-01-02 10:00:00")
        + tag("comment_content", f"Comment {id_}: agreed, mostly.")
        + tag("comment_approved", 1)
        + tag("comment_type", "comment")
        + f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
    )


def item(i: int) -> str:
    year = 2000 + i % 25
    body = "".join(PARAGRAPH.format(n=n, i=i) for n in range(1, 6))
    votes = i % 40
    comments = "".join(comment(i * 10 + k, i * 10 if k else 0) for k in range(3))
    return (
        f"<item><title><![CDATA[Film {i}: a review]]></title>"
        f"<link>https://blog.example/{year}/01/01/film-{i}/</link>\n"
        "<dc:creator><![CDATA[owner]]></dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>\n"
        f"<wp:post_id>{i}</wp:post_id>"
        + tag("post_date", f"{year}-01-01 10:00:00")
        + tag("post_date_gmt", f"{year}-01-01 09:00:00")
        + tag("post_name", f"film-{i}")
        + tag("status", "publish")
        + tag("post_type", "post")
        + f'\n<category domain="category" nicename="genre-{i % 12}"><![CDATA[Genre {i % 12}]]>'
        '</category><category domain="category" nicename="drama"><![CDATA[Drama]]></category>\n'
        + f"<wp:postmeta>{tag('meta_key', 'rmp_vote_count')}{tag('meta_value', votes)}"
        + "</wp:postmeta>"
        + f"<wp:postmeta>{tag('meta_key', 'rmp_rating_val_sum')}{tag('meta_value', votes * 4)}"
        + f"</wp:postmeta>\n{comments}</item>\n"
    )


def generate(path: Path, posts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for i in range(1, posts + 1):
            out.write(item(i))
        out.write("</channel>\n</rss>\n")


def peak_rss_mb() -> float:
    """This process's peak resident memory since the last reset (VmHWM). Not ru_maxrss: Linux
    keeps that across fork and exec, so a child of the bench would report the bench's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def reset_peak() -> None:
    """Start VmHWM again from the current resident size."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(posts: int, keep: Path | None = None) -> dict:
    """Generate an export of `posts` posts, import it twice into a fresh SQLite database: the
    figures."""
    from app import create_app
    from app.extensions import db
    from app.wordpress import importer

    work = keep or Path(tempfile.mkdtemp(prefix="marquee-wxr-"))
    work.mkdir(parents=True, exist_ok=True)
    export = work / "export.xml"
    generate(export, posts)
    reset_peak()
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}",
            "POSTER_DIR": str(work / "posters"),
            "SERVER_NAME": "bench.example",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        before = peak_rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        report = importer.run(export, None, None, dry_run=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = peak_rss_mb()
        again = time.perf_counter()
        second = importer.run(export, None, None, dry_run=False)
        again = time.perf_counter() - again
    return {
        "posts": posts,
        "export_mb": export.stat().st_size / 1024 / 1024,
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "added_mb": peak - before,
        "report": report.lines()[0],
        "again_seconds": again,
        "again_report": second.lines()[0],
    }


def summary(posts: int) -> str:
    """One sentence for the bench's output and the README, measured in a process of its own
    (its peak memory is the import's alone)."""
    out = subprocess.run(
        [sys.executable, __file__, "--posts", str(posts), "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    f = json.loads(out.splitlines()[-1])
    return (
        f"WordPress import (`bench/wxr.py`): {f['posts']:,} posts with 3 comments each "
        f"({f['export_mb']:.1f} MB) in {f['seconds']:.1f} s, {f['posts'] / f['seconds']:,.0f} "
        f"posts/s ({f['posts'] / f['cpu']:,.0f} per CPU second); peak RSS {f['peak_mb']:.0f} MB, "
        f"{f['added_mb']:.0f} MB of it during the import; the second run {f['again_seconds']:.1f}"
        f" s ({f['again_report']})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="write the export and database here")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON line")
    args = parser.parse_args()
    f = measure(args.posts, args.keep)
    if args.json:
        print(json.dumps(f))
        return
    print(f"export: {f['posts']:,} posts with 3 comments each, {f['export_mb']:.1f} MB")
    print(
        f"import: {f['seconds']:.1f} s ({f['cpu']:.1f} s of CPU), "
        f"{f['posts'] / f['seconds']:,.0f} posts/s ({f['posts'] / f['cpu']:,.0f} per CPU second);"
        f" {f['report']}"
    )
    print(f"peak RSS: {f['peak_mb']:.0f} MB, of which {f['added_mb']:.0f} MB during the import")
    print(f"second run: {f['again_seconds']:.1f} s ({f['again_report']})")


if __name__ == "__main__":
    main()
