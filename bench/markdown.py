"""Rendering a hostile Markdown corpus: each case checked for safety and timed (best of N).

    .venv/bin/python bench/markdown.py [--rounds 5]

Prints milliseconds per case; the target is under 50 ms each. The cache is cleared before every
round, so each figure is a first render.
"""

import argparse
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core import markdown

CORPUS = {
    "script tags": "<script>alert(1)</script>\n\n" * 2000,
    "event handlers": '<img src=x onerror="alert(1)"> <b onclick=x>b</b>\n' * 2000,
    "javascript: links": "[x](javascript:alert(1)) <javascript:alert(1)>\n" * 2000,
    "data URLs": "[x](data:text/html;base64,PHNjcmlwdD4=) ![i](data:image/png,x)\n" * 2000,
    "nested lists (300 deep)": "".join(f"{'  ' * i}- item\n" for i in range(300)),
    "nested quotes (1,000 deep)": "> " * 1000 + "deep\n",
    "10,000 '['": "[" * 10_000,
    "10,000 '[' then ']('": "[" * 10_000 + "](" * 10_000,
    "10,000 '*_'": "*_" * 10_000,
    "spoilers (500)": "```spoiler\n**hidden** [x](/films/a)\n```\n\n" * 500,
    "a 100,000-character review": ("A *fine* film, [seen](https://example.com) twice.\n\n" * 2000)[
        :100_000
    ],
}


class _Unsafe(HTMLParser):
    """What a rendering must never hold: an element or attribute outside the allowed ones, an
    event handler, or a link that is not http, https, mailto or relative."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in markdown.TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else ""
            if name.startswith("on") or (
                name == "href" and scheme not in {"", *markdown.URL_SCHEMES}
            ):
                self.found.append(f"{name}={value}")


def unsafe(html: str) -> list[str]:
    parser = _Unsafe()
    parser.feed(html)
    return parser.found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    worst = 0.0
    for name, body in CORPUS.items():
        best = float("inf")
        for _ in range(rounds):
            markdown.render.cache_clear()
            start = time.perf_counter()
            html = str(markdown.render(body))
            best = min(best, time.perf_counter() - start)
        found = unsafe(html)
        worst = max(worst, best)
        print(f"{name:32} {best * 1000:8.1f} ms {'UNSAFE: ' + ', '.join(found) if found else ''}")
    print(f"{'slowest':32} {worst * 1000:8.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
