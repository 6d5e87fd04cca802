"""The film article's old fixed parts (lead, reception, plot, awards, legacy) as one Markdown
body: used by migration 0010 and by film files that still have an `[article]` table."""

import re
from collections.abc import Mapping

from .text import paragraphs

PARTS = ("lead", "reception", "plot", "awards", "legacy")
# The headed sections after the lead, as the film page headed them.
SECTIONS = (
    ("reception", "Reception"),
    ("plot", "Plot"),
    ("awards", "Awards"),
    ("legacy", "Legacy"),
)

# Plain text that Markdown would read as markup: escaped so that the words render unchanged.
_INLINE = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
_BLOCK_START = re.compile(r"^([#=+-])|^(\d{1,9})([.)])")


def plain_to_markdown(text: str) -> str:
    """Plain text (a blank line starts a paragraph, single newlines are spaces) as Markdown
    that renders the same paragraphs with the same words."""
    return "\n\n".join(_escape(paragraph) for paragraph in paragraphs(text))


def _escape(paragraph: str) -> str:
    escaped = _INLINE.sub(r"\\\1", paragraph)
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def fold(parts: Mapping[str, str | None]) -> str:
    """The lead first, then a `## Heading` section for each other part that has text."""
    blocks = [plain_to_markdown(parts.get("lead") or "")]
    for name, heading in SECTIONS:
        if text := plain_to_markdown(parts.get(name) or ""):
            blocks.append(f"## {heading}\n\n{text}")
    return "\n\n".join(block for block in blocks if block)
